using Microsoft.Extensions.AI;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Counts whole prompts: locally (<see cref="ITokenCounter"/>), and through the provider's counting endpoint
/// (<see cref="IExactTokenCounter"/>) when exact counts were asked for (<c>--exact-tokens</c>) or when a local estimate
/// lies within its safety margin of the limit (where the margin alone cannot tell whether the prompt fits). An exact
/// count also calibrates a <see cref="CalibratedEstimator"/>. Thread-safe.
/// </summary>
internal sealed class PromptTokenCounter(ITokenCounter local, IExactTokenCounter? remote = null, bool alwaysExact = false)
{
    /// <summary>Tokens added per message for role markers and separators, for estimated counts (a little above what
    /// either provider adds, so the estimate stays on the safe side).</summary>
    public const int PerMessageOverhead = 4;

    /// <summary>OpenAI chat format: each message costs 3 tokens around its content, and the reply is primed with 3.</summary>
    public const int OpenAIPerMessage = 3, OpenAIReplyPriming = 3;

    /// <summary>The local counter.</summary>
    public ITokenCounter Local { get; } = local ?? throw new ArgumentNullException(nameof(local));

    /// <summary>The local count of <paramref name="messages"/>: their text plus the chat format's wrapping
    /// (<see cref="OpenAIPerMessage"/> per message and <see cref="OpenAIReplyPriming"/> with an exact tokenizer,
    /// <see cref="PerMessageOverhead"/> per message with an estimate).</summary>
    public int Estimate(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long total = Local.IsExact ? OpenAIReplyPriming : 0;
        // Index loops: no enumerator per prompt or message (the budget counts every request).
        for (var m = 0; m < messages.Count; m++)
        {
            total += Local.IsExact ? OpenAIPerMessage : PerMessageOverhead;
            var contents = messages[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is TextContent text)
                {
                    total += Local.Count(text.Text);
                }
            }
        }
        return (int)Math.Min(int.MaxValue, total);
    }

    /// <summary>
    /// A bound <see cref="Estimate"/> never exceeds, from one vectorised pass over each text (its UTF-8 length), or
    /// <c>null</c> when the local counter is an estimate (no cheap bound there). An exact counter here is a byte-level BPE
    /// (o200k_base, cl100k_base): every token, special ones included, stands for at least one UTF-8 byte of the text (a lone
    /// surrogate is three bytes, U+FFFD's, for both the tokenizer and the count), so a text has at most as many tokens as
    /// bytes; the chat format's wrapping is added as <see cref="Estimate"/> adds it.
    /// </summary>
    public int? UpperBound(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!Local.IsExact)
        {
            return null;
        }
        long total = OpenAIReplyPriming;
        for (var m = 0; m < messages.Count; m++)
        {
            total += OpenAIPerMessage;
            var contents = messages[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is TextContent text)
                {
                    total += System.Text.Encoding.UTF8.GetByteCount(text.Text);
                }
            }
        }
        return (int)Math.Min(int.MaxValue, total);
    }

    /// <summary>Whether an estimate needs the provider's exact count: always with <c>alwaysExact</c>, else when it is
    /// not exact and within its margin of <paramref name="limit"/> (above or below).</summary>
    public bool NeedsExact(int estimate, int limit)
    {
        if (remote is null || Local.IsExact)
        {
            return false;
        }
        if (alwaysExact)
        {
            return true;
        }
        var margin = Local is CalibratedEstimator calibrated ? calibrated.Margin : CalibratedEstimator.DefaultMargin;
        return estimate >= limit * (1 - margin) && estimate <= limit * (1 + margin);
    }

    /// <summary>Counts <paramref name="messages"/> against <paramref name="limit"/> (the input budget), asking the
    /// provider when <see cref="NeedsExact"/> says so.</summary>
    public async Task<PromptTokenCount> CountAsync(IReadOnlyList<ChatMessage> messages, int limit, CancellationToken cancellationToken = default)
    {
        var estimate = Estimate(messages);
        if (!NeedsExact(estimate, limit))
        {
            return new PromptTokenCount(estimate, Local.IsExact, estimate);
        }
        var exact = await remote!.CountAsync(messages, cancellationToken).ConfigureAwait(false);
        (Local as CalibratedEstimator)?.Observe(estimate, exact);
        return new PromptTokenCount(exact, true, estimate);
    }
}
