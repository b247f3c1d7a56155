using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>Leaves refused parameters out of a request: clears options, drops a trailing assistant prefill.</summary>
internal static class ParameterFilter
{
    /// <summary>Clears the refused options (the caller passes options it may change).</summary>
    public static void Strip(ChatOptions options, RejectedParameter rejected)
    {
        if ((rejected & RejectedParameter.Temperature) != 0)
        {
            options.Temperature = null;
        }
        if ((rejected & RejectedParameter.TopP) != 0)
        {
            options.TopP = null;
        }
        if ((rejected & RejectedParameter.TopK) != 0)
        {
            options.TopK = null;
        }
        if ((rejected & RejectedParameter.MaxOutputTokens) != 0)
        {
            options.MaxOutputTokens = null;
        }
        if ((rejected & RejectedParameter.StopSequences) != 0)
        {
            options.StopSequences = null;
        }
        if ((rejected & RejectedParameter.FrequencyPenalty) != 0)
        {
            options.FrequencyPenalty = null;
        }
        if ((rejected & RejectedParameter.PresencePenalty) != 0)
        {
            options.PresencePenalty = null;
        }
        if ((rejected & RejectedParameter.Seed) != 0)
        {
            options.Seed = null;
        }
    }

    /// <summary>The messages without trailing assistant turns when prefill is refused; otherwise unchanged.</summary>
    public static IEnumerable<ChatMessage> Messages(IEnumerable<ChatMessage> messages, RejectedParameter rejected)
    {
        if ((rejected & RejectedParameter.Prefill) == 0)
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
