using System.Globalization;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers;

/// <summary>
/// Recognises a 400 that refuses the request's output cap and names the largest one the model accepts:
/// Anthropic "max_tokens: 16000 &gt; 4096, which is the maximum allowed number of output tokens for …", OpenAI
/// "max_tokens is too large: 16000. This model supports at most 4096 completion tokens" (also for
/// <c>max_completion_tokens</c>), "max_tokens must be less than or equal to `8192`" (Groq and other compatible servers),
/// vLLM "This model's maximum context length is 8192 tokens and your request has 120 input tokens" and
/// "maximum context length is 4096 tokens. However, you requested 16120 tokens (120 in the messages, 16000 in the
/// completion)", TGI "`inputs` tokens + `max_new_tokens` must be &lt;= 4096. Given: 120 `inputs` tokens". For the
/// context-length wordings the cap is the window less the input; an input that alone fills the window is a prompt too
/// long, not a cap to lower.
/// </summary>
internal static partial class OutputCapRejection
{
    /// <summary>The largest output cap the error allows, or <c>null</c> when it is not about the output cap.</summary>
    public static int? Detect(int? status, string? body)
    {
        if (status is not (400 or 422) || string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        var message = ProviderErrorBody.Parse(body).Message ?? body;
        if (Anthropic().Match(message) is { Success: true } anthropic)
        {
            return Positive(Number(anthropic.Groups["max"]));
        }
        if (SupportsAtMost().Match(message) is { Success: true } atMost)
        {
            return Positive(Number(atMost.Groups["max"]));
        }
        if (Tgi().Match(message) is { Success: true } tgi)
        {
            return Positive(Number(tgi.Groups["window"]) - Number(tgi.Groups["input"]));
        }
        if (LessOrEqual().Match(message) is { Success: true } bounded)
        {
            return Positive(Number(bounded.Groups["max"]));
        }
        if (WindowAndInput().Match(message) is { Success: true } window)
        {
            return Positive(Number(window.Groups["window"]) - Number(window.Groups["input"]));
        }
        if (WindowRequested().Match(message) is { Success: true } requested)
        {
            return Positive(Number(requested.Groups["window"]) - Number(requested.Groups["input"]));
        }
        return null;
    }

    private static long Number(Group group) =>
        long.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static int? Positive(long cap) => cap is > 0 and <= int.MaxValue ? (int)cap : null;

    [GeneratedRegex(@"max_tokens:\s*\d+\s*>\s*(?<max>\d+),\s*which is the maximum allowed", RegexOptions.IgnoreCase)]
    private static partial Regex Anthropic();

    [GeneratedRegex(@"max_(?:completion_|output_|new_)?tokens.{0,80}?too large.{0,200}?supports at most (?<max>\d+) (?:completion |output )?tokens", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SupportsAtMost();

    [GeneratedRegex(@"max_(?:completion_|output_|new_)?tokens`?'?""?\s+(?:must be )?(?:less than or equal to|<=|at most)\s*`?(?<max>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex LessOrEqual();

    [GeneratedRegex(@"maximum context length is (?<window>\d+) tokens and your request has (?<input>\d+) input tokens", RegexOptions.IgnoreCase)]
    private static partial Regex WindowAndInput();

    [GeneratedRegex(@"maximum context length is (?<window>\d+) tokens\. However, you requested \d+ tokens \((?<input>\d+) in the messages, \d+ in the completion\)", RegexOptions.IgnoreCase)]
    private static partial Regex WindowRequested();

    [GeneratedRegex(@"max_new_tokens`? must be <= (?<window>\d+)\. Given: (?<input>\d+) `?inputs`? tokens", RegexOptions.IgnoreCase)]
    private static partial Regex Tgi();
}
