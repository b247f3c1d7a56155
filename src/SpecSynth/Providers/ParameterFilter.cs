using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>Leaves refused parameters out of a request: clears options, drops a trailing assistant prefill.</summary>
internal static class ParameterFilter
{
    /// <summary>Clears the refused options (the caller passes options it may change).</summary>
    public static void Strip(ChatOptions options, RejectedParameter rejected)
    {
        if (rejected.HasFlag(RejectedParameter.Temperature))
        {
            options.Temperature = null;
        }
        if (rejected.HasFlag(RejectedParameter.TopP))
        {
            options.TopP = null;
        }
        if (rejected.HasFlag(RejectedParameter.TopK))
        {
            options.TopK = null;
        }
        if (rejected.HasFlag(RejectedParameter.MaxOutputTokens))
        {
            options.MaxOutputTokens = null;
        }
        if (rejected.HasFlag(RejectedParameter.StopSequences))
        {
            options.StopSequences = null;
        }
        if (rejected.HasFlag(RejectedParameter.FrequencyPenalty))
        {
            options.FrequencyPenalty = null;
        }
        if (rejected.HasFlag(RejectedParameter.PresencePenalty))
        {
            options.PresencePenalty = null;
        }
        if (rejected.HasFlag(RejectedParameter.Seed))
        {
            options.Seed = null;
        }
    }

    /// <summary>The messages without trailing assistant turns when prefill is refused; otherwise unchanged.</summary>
    public static IEnumerable<ChatMessage> Messages(IEnumerable<ChatMessage> messages, RejectedParameter rejected)
    {
        if (!rejected.HasFlag(RejectedParameter.Prefill))
        {
            return messages;
        }
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var end = list.Count;
        while (end > 0 && list[end - 1].Role == ChatRole.Assistant)
        {
            end--;
        }
        return end == list.Count ? list : list.Take(end).ToList();
    }
}
