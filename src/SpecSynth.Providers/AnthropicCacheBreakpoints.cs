using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using SpecSynth.Context;
using SpecSynth.Context.Tokens;
using SpecSynth.Prompting;

namespace SpecSynth.Providers;

/// <summary>
/// Turns the prompt builder's <see cref="PromptCaching"/> marks into Anthropic <c>cache_control</c> breakpoints
/// (<c>{"type":"ephemeral"}</c>, 5 minutes) on the marked text blocks, and on the system prompt when it alone is long
/// enough to be cached. A breakpoint is only placed when the prefix it ends (system prompt and every message block up
/// to it) reaches the model's minimum cacheable length: 2048 tokens for Haiku models, 1024 for the others. At most four
/// breakpoints are sent (the API's limit), the longest prefixes winning. The caller's messages are never modified.
/// </summary>
internal static class AnthropicCacheBreakpoints
{
    /// <summary>The API's limit of breakpoints per request.</summary>
    public const int MaxBreakpoints = 4;

    /// <summary>The default count: an uncalibrated estimate without margin. Shared: its factor stays 1 (it is never told
    /// a reply's usage and keeps it in memory), so it counts the same for every model.</summary>
    private static readonly CalibratedEstimator DefaultEstimate = new(ProviderIds.Claude, "claude", margin: 0);

    /// <summary>The shortest prefix (tokens) Anthropic caches for <paramref name="model"/>.</summary>
    public static int MinimumCacheableTokens(string? model) =>
        model?.Contains("haiku", StringComparison.OrdinalIgnoreCase) == true ? 2048 : 1024;

    /// <summary>The messages to send: <paramref name="messages"/> itself when nothing is marked or nothing is long enough,
    /// else a copy whose marked blocks carry cache control.</summary>
    /// <param name="messages">The prompt.</param>
    /// <param name="model">The model the request goes to.</param>
    /// <param name="counter">Counts prefix tokens; <c>null</c> uses an uncalibrated estimate without margin.</param>
    public static IEnumerable<ChatMessage> Apply(IEnumerable<ChatMessage> messages, string? model, ITokenCounter? counter = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var marked = FindMarks(list);
        var systemEnd = LastSystemText(list);
        if (marked.Count == 0 && systemEnd is null)
        {
            return list;
        }
        var minimum = MinimumCacheableTokens(model);
        if (counter is null && TextLength(list) < minimum)
        {
            // The default estimate never counts more tokens than characters: no prefix can reach the minimum.
            return list;
        }
        counter ??= DefaultEstimate;

        // Anthropic's prefix order is system first, then the messages in order.
        var systemTokens = 0L;
        for (var m = 0; m < list.Count; m++)
        {
            if (list[m].Role != ChatRole.System)
            {
                continue;
            }
            var contents = list[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                systemTokens += contents[c] is TextContent text ? counter.Count(text.Text) : 0;
            }
        }
        var chosen = new List<(int Message, int Content, long Prefix)>();
        if (systemEnd is { } sys && systemTokens >= minimum)
        {
            chosen.Add((sys.Message, sys.Content, systemTokens));
        }
        var prefix = systemTokens;
        var next = 0;
        for (var m = 0; m < list.Count && next < marked.Count; m++)
        {
            if (list[m].Role == ChatRole.System)
            {
                if (marked[next].Message == m)
                {
                    // A mark inside the system prompt ends the system prefix.
                    if (systemTokens >= minimum && !chosen.Any(c => c.Message == marked[next].Message && c.Content == marked[next].Content))
                    {
                        chosen.Add((marked[next].Message, marked[next].Content, systemTokens));
                    }
                    while (next < marked.Count && marked[next].Message == m)
                    {
                        next++;
                    }
                }
                continue;
            }
            var contents = list[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                prefix += contents[c] is TextContent text ? counter.Count(text.Text) : 0;
                if (next < marked.Count && marked[next].Message == m && marked[next].Content == c)
                {
                    next++;
                    if (prefix >= minimum)
                    {
                        chosen.Add((m, c, prefix));
                    }
                }
            }
        }
        if (chosen.Count == 0)
        {
            return list;
        }
        var keep = chosen.OrderByDescending(c => c.Prefix).Take(MaxBreakpoints).ToHashSet();
        return Rewrite(list, keep.Select(c => (c.Message, c.Content)).ToHashSet());
    }

    /// <summary>The characters of every text block: an upper bound of the default estimate's tokens
    /// (<see cref="CalibratedEstimator.Raw"/> counts at most one token per character, with factor 1 and no margin).</summary>
    private static long TextLength(IReadOnlyList<ChatMessage> list)
    {
        var length = 0L;
        for (var m = 0; m < list.Count; m++)
        {
            var contents = list[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                length += contents[c] is TextContent text ? text.Text.Length : 0;
            }
        }
        return length;
    }

    private static List<(int Message, int Content)> FindMarks(IReadOnlyList<ChatMessage> list)
    {
        var marks = new List<(int, int)>();
        for (var m = 0; m < list.Count; m++)
        {
            var contents = list[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is TextContent && PromptCaching.IsBreakpoint(contents[c]))
                {
                    marks.Add((m, c));
                }
            }
        }
        return marks;
    }

    private static (int Message, int Content)? LastSystemText(IReadOnlyList<ChatMessage> list)
    {
        for (var m = list.Count - 1; m >= 0; m--)
        {
            if (list[m].Role != ChatRole.System)
            {
                continue;
            }
            var contents = list[m].Contents;
            for (var c = contents.Count - 1; c >= 0; c--)
            {
                if (contents[c] is TextContent)
                {
                    return (m, c);
                }
            }
        }
        return null;
    }

    private static List<ChatMessage> Rewrite(IReadOnlyList<ChatMessage> list, HashSet<(int Message, int Content)> breakpoints)
    {
        var result = new List<ChatMessage>(list.Count);
        for (var m = 0; m < list.Count; m++)
        {
            var message = list[m];
            if (!breakpoints.Any(b => b.Message == m))
            {
                result.Add(message);
                continue;
            }
            var contents = new List<AIContent>(message.Contents.Count);
            for (var c = 0; c < message.Contents.Count; c++)
            {
                var content = message.Contents[c];
                contents.Add(breakpoints.Contains((m, c)) && content is TextContent text ? WithBreakpoint(text) : content);
            }
            result.Add(new ChatMessage(message.Role, contents)
            {
                AuthorName = message.AuthorName,
                MessageId = message.MessageId,
                CreatedAt = message.CreatedAt,
                AdditionalProperties = message.AdditionalProperties,
                RawRepresentation = message.RawRepresentation,
            });
        }
        return result;
    }

    private static TextContent WithBreakpoint(TextContent text)
    {
        var copy = new TextContent(text.Text)
        {
            Annotations = text.Annotations,
            RawRepresentation = text.RawRepresentation,
            AdditionalProperties = text.AdditionalProperties is null ? null : new AdditionalPropertiesDictionary(text.AdditionalProperties),
        };
        return copy.WithCacheControl(new CacheControlEphemeral());
    }
}
