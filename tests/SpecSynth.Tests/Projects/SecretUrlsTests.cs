using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>URL masking (every URL specsynth prints) and the redactor's URL and prose rules.</summary>
public sealed class SecretUrlsTests
{
    [Theory]
    [InlineData("http://user:s3cret@gateway.internal:8080/v1", "http://***@gateway.internal:8080/v1")]
    [InlineData("https://TOKEN123@host/v1", "https://***@host/v1")]
    [InlineData("https://gw.example/v1?api-key=s3cret&api-version=2024-02-01", "https://gw.example/v1?api-key=***&api-version=2024-02-01")]
    [InlineData("https://gw.example/v1?key=s3cret#frag", "https://gw.example/v1?key=***#frag")]
    [InlineData("redis://:pw@cache:6379/2", "redis://***@cache:6379/2")]
    [InlineData(":pw@cache:6379", "***@cache:6379")]
    [InlineData("http://localhost:11434", "http://localhost:11434")]
    [InlineData("https://host/path/with@sign", "https://host/path/with@sign")]
    public void MaskUrl_HidesUserInfoAndQueryValues(string url, string expected) =>
        Assert.Equal(expected, SecretRedactor.MaskUrl(url));

    [Theory]
    [InlineData("connecting to https://gw.example/v1?api-key=Qk4sEcReT2 failed", "api-key=[REDACTED]")]
    [InlineData("GET /v1/models?key=AbC123xyz&page=2", "key=[REDACTED]&page=2")]
    [InlineData("wss://host/socket?access_token=AbC123xyz", "access_token=[REDACTED]")]
    public void Redact_MasksSecretQueryParametersInFreeText(string text, string expected)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.Contains(expected, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Qk4sEcReT2", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("AbC123xyz", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- The admin password: hunter2horse", "- The admin password: [REDACTED]")]
    [InlineData("api_key: abc123def456", "api_key: [REDACTED]")]
    [InlineData("- password: at least 12 characters, one digit", "- password: at least 12 characters, one digit")]
    [InlineData("token: required", "token: required")]
    public void Markdown_RedactsOneWordValues_ButNotSentences(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(text, "spec.md", out _));
}
