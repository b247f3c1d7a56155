using System.Text;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>Large and adversarial texts are redacted correctly. Their speed is measured by
/// bench/SpecSynth.Benchmarks (<c>secret_redaction</c>, <c>project_scan</c>), not here; every rule is built to run in
/// linear time, so none of these quarter-megabyte inputs may take noticeably long.</summary>
public sealed class SecretRedactorLargeInputTests
{
    public static TheoryData<string, string, int, int> AdversarialInputs => new()
    {
        // name, text, redactions as config (YAML), redactions as code
        { "long-token-run", "eyJ" + new string('a', 256 * 1024), 0, 0 },
        { "url-colons", "://" + new string(':', 256 * 1024), 0, 0 },
        { "url-userinfo-without-at", Repeat("://u:p", 45_000), 0, 0 },
        { "placeholder-assignments-on-one-line", Repeat("password=$x ", 22_000), 0, 0 },
        { "yaml-structures-on-one-line", Repeat("password: [ ", 22_000), 0, 0 },
        { "unclosed-quotes-on-one-line", Repeat("token = \"x ", 24_000), 0, 0 },
        { "one-long-key-of-unbounded-words", Repeat("xpassword", 28_000) + " = \"value\"", 0, 0 },
        { "one-long-key-of-bounded-words", Repeat("_password", 28_000) + " = \"value\"", 1, 1 },
        { "one-long-metadata-key-with-long-value", Repeat("_password", 14_000) + "_url = \"" + new string('v', 120_000) + "\"", 0, 0 },
        { "bearer-without-digits", Repeat("Bearer " + new string('a', 64) + " ", 3_500), 0, 0 },
        { "begin-without-end", Repeat("-----BEGIN RSA PRIVATE KEY-----", 8_000), 1, 1 },
        { "one-endless-key", Repeat("sk-", 90_000), 1, 1 },
        { "repeated-jwt-heads", Repeat("eyJabcdef.", 30_000), 10_000, 10_000 },
        { "connection-string-keys", Repeat(";Password=", 26_000), 1, 0 },
    };

    [Theory]
    [MemberData(nameof(AdversarialInputs))]
    public void AdversarialQuarterMegabyteInputs_AreRedactedAsExpected(string name, string text, int asConfig, int asCode)
    {
        var config = SecretRedactor.Redact(text, "config.yaml", out var configCount);
        var code = SecretRedactor.Redact(text, "code.cs", out var codeCount);

        Assert.Equal((asConfig, asCode), (configCount, codeCount));
        Assert.True(configCount > 0 || ReferenceEquals(config, text), name);
        Assert.True(codeCount > 0 || ReferenceEquals(code, text), name);
    }

    [Fact]
    public void LongTokens_AreRedactedWhole()
    {
        var token = "sk-" + "proj-" + new string('Q', 5_000) + "7";
        var bearer = "Bearer " + new string('b', 9_000) + "1";

        Assert.Equal($"a {SecretRedactor.Marker} b", SecretRedactor.Redact($"a {token} b", out _));
        Assert.Equal("Bearer " + SecretRedactor.Marker, SecretRedactor.Redact(bearer, out _));
    }

    [Fact]
    public void FourMegabytesOfOrdinarySource_AreReturnedUnchanged()
    {
        var text = SourceLikeText(4 * 1024 * 1024);

        var redacted = SecretRedactor.Redact(text, "x.cs", out var count);

        Assert.Same(text, redacted);
        Assert.Equal(0, count);
    }

    private static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));

    private static string SourceLikeText(int length)
    {
        const string sample = """
            using System.Net.Http.Headers;

            namespace Acme.Billing;

            /// <summary>Talks to the payment API; see https://docs.example.com/api/v2#auth for the token flow.</summary>
            public sealed class PaymentClient(HttpClient http, IOptions<PaymentOptions> options)
            {
                public async Task<Invoice> GetInvoiceAsync(string id, CancellationToken cancellationToken = default)
                {
                    var token = await _tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    var password = options.Value.Password;
                    if (string.IsNullOrEmpty(password)) throw new InvalidOperationException("No password configured.");
                    using var response = await http.GetAsync($"invoices/{id}", cancellationToken);
                    return await response.Content.ReadFromJsonAsync<Invoice>(cancellationToken) ?? Invoice.Empty;
                }
            }

            """;
        var sb = new StringBuilder(length + sample.Length);
        while (sb.Length < length)
        {
            sb.Append(sample);
        }
        return sb.ToString();
    }
}
