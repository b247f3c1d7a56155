using System.Text.RegularExpressions;

namespace SpecSynth.Providers;

/// <summary>
/// Recognises a 400 that refuses one request parameter (as opposed to a request that is wrong as a whole):
/// OpenAI <c>unsupported_value</c>/<c>unsupported_parameter</c> with its <c>param</c>, "Unsupported parameter:
/// 'max_tokens' ...", Anthropic "`temperature` is deprecated for this model", "does not support assistant
/// message prefill". A parameter that is merely out of range ("temperature: must be ≤ 1") is not a rejection.
/// </summary>
internal static partial class ParameterRejectionDetector
{
    /// <summary>The one parameter the error refuses, or <see cref="RejectedParameter.None"/>.</summary>
    public static RejectedParameter Detect(string provider, int? status, string? body)
    {
        if (status is not (400 or 422) || string.IsNullOrWhiteSpace(body))
        {
            return RejectedParameter.None;
        }
        var message = ProviderErrorBody.Parse(body).Message ?? "";
        if (Prefill().IsMatch(message))
        {
            return RejectedParameter.Prefill;
        }
        if (message.Contains("cannot both be specified", StringComparison.OrdinalIgnoreCase) && message.Contains("top_p", StringComparison.Ordinal))
        {
            return RejectedParameter.TopP; // newer Claude models: keep the configured temperature, drop top_p
        }
        var codes = ProviderErrorBody.AllCodes(body);
        var param = ProviderErrorBody.Param(body);
        if (param is not null && codes.Any(c => c is "unsupported_value" or "unsupported_parameter"))
        {
            return Allowed(provider, FromName(param));
        }
        if (!RejectionWords().IsMatch(message))
        {
            return RejectedParameter.None;
        }
        var named = ParameterName().Match(message);
        return named.Success ? Allowed(provider, FromName(named.Groups["name"].Value)) : RejectedParameter.None;
    }

    /// <summary>How the parameter is named in warnings.</summary>
    public static string Describe(RejectedParameter parameter) => parameter switch
    {
        RejectedParameter.Temperature => "temperature",
        RejectedParameter.TopP => "top_p",
        RejectedParameter.TopK => "top_k",
        RejectedParameter.MaxOutputTokens => "the output cap (max_tokens)",
        RejectedParameter.StopSequences => "stop sequences",
        RejectedParameter.FrequencyPenalty => "frequency_penalty",
        RejectedParameter.PresencePenalty => "presence_penalty",
        RejectedParameter.Seed => "seed",
        RejectedParameter.Prefill => "assistant prefill (a conversation ending with an assistant message)",
        _ => parameter.ToString(),
    };

    private static RejectedParameter Allowed(string provider, RejectedParameter parameter) =>
        parameter == RejectedParameter.MaxOutputTokens && ProviderIds.Normalize(provider) == ProviderIds.Claude
            ? RejectedParameter.None // Anthropic requires max_tokens; a 400 about it is about its value
            : parameter;

    private static RejectedParameter FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "temperature" => RejectedParameter.Temperature,
        "top_p" => RejectedParameter.TopP,
        "top_k" => RejectedParameter.TopK,
        "max_tokens" or "max_completion_tokens" or "max_output_tokens" => RejectedParameter.MaxOutputTokens,
        "stop" or "stop_sequences" => RejectedParameter.StopSequences,
        "frequency_penalty" => RejectedParameter.FrequencyPenalty,
        "presence_penalty" => RejectedParameter.PresencePenalty,
        "seed" => RejectedParameter.Seed,
        _ => RejectedParameter.None,
    };

    [GeneratedRegex(@"unsupported|not supported|does not support|deprecated|not allowed|only the default|not available for this model", RegexOptions.IgnoreCase)]
    private static partial Regex RejectionWords();

    /// <summary>A parameter name: identifier-like names bare or quoted, plain words (<c>stop</c>, <c>seed</c>) only quoted.</summary>
    [GeneratedRegex(@"(?<![\w.\[])(?<name>temperature|top_p|top_k|max_tokens|max_completion_tokens|stop_sequences|frequency_penalty|presence_penalty)(?![\w.\[])|['`""](?<name>stop|seed)['`""]", RegexOptions.IgnoreCase)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"assistant message prefill|does not support prefill|prefill(ing)? is not supported|final assistant content|must end with a user message", RegexOptions.IgnoreCase)]
    private static partial Regex Prefill();
}
