using System.Buffers;
using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>The known secret shapes, applied in order by <see cref="SecretRedactor"/>.</summary>
internal static partial class SecretPatterns
{
    private const StringComparison Ordinal = StringComparison.Ordinal;
    private const StringComparison IgnoreCase = StringComparison.OrdinalIgnoreCase;

    public static IReadOnlyList<TokenRule> All { get; } =
    [
        new("openai-anthropic", OpenAiKey(), ["sk-"], Ordinal),
        new("stripe", StripeKey(), ["k_live_", "k_test_", "whsec_"], Ordinal),
        new("aws-access-key-id", AwsAccessKeyId(), ["AKIA", "ASIA"], Ordinal),
        new("aws-secret-access-key", AwsSecretAccessKey(), ["aws_secret", "awssecret"], IgnoreCase),
        new("github", GitHubToken(), ["ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"], Ordinal),
        new("slack", SlackToken(), ["xox"], Ordinal),
        new("google-api-key", GoogleApiKey(), ["AIza"], Ordinal),
        new("jwt", Jwt(), ["eyJ"], Ordinal),
        new("bearer", BearerToken(), ["earer"], IgnoreCase, v => v.AsSpan().ContainsAnyInRange('0', '9')),
        new("url-password", UrlPassword(), ["://"], Ordinal),
        new("connection-string-password", ConnectionStringPassword(), ["pwd", "password"], IgnoreCase),
    ];

    private static readonly SearchValues<string> AnyAnchor =
        SearchValues.Create(All.SelectMany(r => r.Anchors).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), IgnoreCase);

    /// <summary>For each lower-cased ASCII first character, the rules with an anchor starting with it.</summary>
    private static readonly int[][] RulesByFirstChar = Enumerable.Range(0, 128)
        .Select(c => Enumerable.Range(0, All.Count)
            .Where(r => All[r].Anchors.Any(a => char.ToLowerInvariant(a[0]) == c)).ToArray())
        .ToArray();

    /// <summary>The rules whose anchors occur in <paramref name="text"/>, found in a single vectorised pass.</summary>
    public static IEnumerable<TokenRule> TriggeredBy(string text)
    {
        var triggered = new bool[All.Count];
        var remaining = All.Count;
        var position = 0;
        while (remaining > 0 && position < text.Length)
        {
            var hit = text.AsSpan(position).IndexOfAny(AnyAnchor);
            if (hit < 0)
            {
                break;
            }
            position += hit;
            foreach (var rule in RulesByFirstChar[char.ToLowerInvariant(text[position]) & 0x7F])
            {
                if (!triggered[rule] && All[rule].AnchoredAt(text.AsSpan(position)))
                {
                    triggered[rule] = true;
                    remaining--;
                }
            }
            position++;
        }
        return All.Where((_, i) => triggered[i]);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,400}", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,200}|whsec_[A-Za-z0-9]{20,200})", RegexOptions.CultureInvariant)]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"aws_?secret_?access_?key[""']?[ \t]{0,8}[:=][ \t]{0,8}[""']?(?<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{30,255})", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9])xox[abprse]-[A-Za-z0-9-]{10,255}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,4096}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[Bb]earer[ \t]{1,4}(?<v>[A-Za-z0-9._~+/-]{16,4096}=*)", RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"://[^:@/\s""'<>]{0,256}:(?<v>[^@/\s""'<>]{1,256})@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?:password|pwd)(?<=[;""'`][ \t]{0,8}(?:password|pwd))[ \t]{0,8}=(?!=)[ \t]{0,8}(?<v>[^;""'`\r\n]{1,512})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
