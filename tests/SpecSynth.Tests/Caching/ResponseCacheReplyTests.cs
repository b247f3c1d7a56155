using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Caching;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Caching;

/// <summary><see cref="ResponseCacheCodec.SerializeReply"/> writes, straight from the updates, the bytes the normalised
/// copies gave (the reference below is the normaliser it replaced), so entries written before and after read the same.</summary>
public sealed class ResponseCacheReplyTests
{
    private const int ChunkChars = 256;
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 8, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<string> Streams => [.. Cases().Keys];

    [Theory]
    [MemberData(nameof(Streams))]
    public void TheEntry_IsTheNormalisedCopiesEntry_ByteForByte(string name)
    {
        var updates = Cases()[name];
        var expected = ResponseCacheCodec.Serialize(ReferenceNormalize(updates));

        var actual = ResponseCacheCodec.SerializeReply(updates, ChunkChars);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        // Twice on one thread (the reused entry list starts empty), and the updates are not changed.
        Assert.Equal(expected, ResponseCacheCodec.SerializeReply(updates, ChunkChars));
        Assert.Equal(Encoding.UTF8.GetString(ResponseCacheCodec.Serialize(Cases()[name])), Encoding.UTF8.GetString(ResponseCacheCodec.Serialize(updates)));
    }

    private static Dictionary<string, List<ChatResponseUpdate>> Cases()
    {
        ChatResponseUpdate Text(string text, ChatRole? role = null) => new(role ?? ChatRole.Assistant, text)
        {
            ResponseId = "r1",
            MessageId = "m1",
            ModelId = "gpt-4.1",
            CreatedAt = Created,
        };
        UsageContent Usage(long input, long output) => new(new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            AdditionalCounts = new() { ["cache_creation_input_tokens"] = 3 },
        });
        ChatResponseUpdate WithProperties(ChatResponseUpdate update, params (string Name, object? Value)[] properties)
        {
            update.AdditionalProperties = [];
            foreach (var (name, value) in properties)
            {
                update.AdditionalProperties[name] = value;
            }
            return update;
        }
        var annotated = new TextContent("noted") { AdditionalProperties = new() { ["x"] = 1 } };
        return new()
        {
            ["empty"] = [],
            ["openai"] =
            [
                WithProperties(Text("ok"), (ResiliencePipeline.ProviderProperty, "openai"), (ResiliencePipeline.SkippedProperty, Array.Empty<string>())),
                WithProperties(new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ModelId = "gpt-4.1" }, ("specsynth.response_headers", "h")),
                new ChatResponseUpdate { Contents = [Usage(100, 1)] },
            ],
            ["anthropic"] =
            [
                new ChatResponseUpdate { Contents = [Usage(100, 1)], ModelId = "claude-sonnet-4-5", MessageId = "msg_01" },
                Text("o"),
                Text("k"),
                new ChatResponseUpdate { Contents = [Usage(0, 5)], FinishReason = ChatFinishReason.Stop },
            ],
            ["long text in chunks, a role change, other contents between"] =
            [
                .. Enumerable.Range(0, 40).Select(i => Text($"token {i:D3} ")),
                Text("from the user", ChatRole.User),
                Text(" and more", ChatRole.User),
                new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["a"] = 1 })]),
                Text("after"),
                new ChatResponseUpdate(ChatRole.Assistant, [annotated, new TextContent(" joined")]),
                WithProperties(Text("late provider"), (ResiliencePipeline.ProviderProperty, "claude")),
                new ChatResponseUpdate { FinishReason = ChatFinishReason.Length },
                new ChatResponseUpdate(), // no contents, no finish: not kept
            ],
            ["finish only in the middle, a restart marker"] =
            [
                WithProperties(Text("a"), (ResiliencePipeline.RestartProperty, true)),
                new ChatResponseUpdate(ChatRole.Assistant, "b") { FinishReason = ChatFinishReason.Stop },
                new ChatResponseUpdate { Contents = [Usage(1, 2)] },
            ],
            ["no finish at all"] = [Text("x"), new ChatResponseUpdate { Contents = [Usage(1, 2)] }],
            // Joined pieces are written as segments of one string: escapes, non-ASCII, an empty piece and a surrogate pair
            // split between two updates give the bytes of the joined text.
            ["escapes, non-ASCII and a split surrogate pair in joined text"] =
            [
                Text("say \"hi\" <b>&amp;</b> caf\u00e9 \t"),
                Text(""),
                Text("smile \ud83d"),
                Text("\ude00 done\n"),
                .. Enumerable.Range(0, 30).Select(i => Text($"\u00fc{i:D2}\u4e2d\"")),
                new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop },
            ],
            ["only a content-less update without finish"] = [new ChatResponseUpdate { ModelId = "m" }],
        };
    }

    /// <summary>The normaliser <see cref="ResponseCacheCodec.SerializeReply"/> replaced (session 9's
    /// <c>ResponseCachingChatClient.Normalize</c>), kept as the reference.</summary>
    private static List<ChatResponseUpdate> ReferenceNormalize(IReadOnlyList<ChatResponseUpdate> updates)
    {
        var stored = new List<ChatResponseUpdate>();
        string? provider = null;
        ChatResponseUpdate? text = null;
        foreach (var update in updates)
        {
            if (update.AdditionalProperties?.TryGetValue(ResiliencePipeline.ProviderProperty, out var p) == true && p is string name)
            {
                provider ??= name;
            }
            foreach (var content in update.Contents)
            {
                if (content is TextContent { Text: var t } && text is not null && text.Role == update.Role && text.Text.Length < ChunkChars)
                {
                    ((TextContent)text.Contents[0]).Text += t;
                    continue;
                }
                var copy = Copy(update, content);
                stored.Add(copy);
                text = content is TextContent ? copy : null;
            }
            if (update.Contents.Count == 0 && update.FinishReason is not null)
            {
                stored.Add(Copy(update, null));
                text = null;
            }
        }
        if (stored.Count > 0)
        {
            ChatFinishReason? finish = null;
            for (var i = updates.Count - 1; i >= 0 && finish is null; i--)
            {
                finish = updates[i].FinishReason;
            }
            stored[^1].FinishReason = finish ?? stored[^1].FinishReason;
            if (provider is not null)
            {
                stored[0].AdditionalProperties = new() { [ResiliencePipeline.ProviderProperty] = provider };
            }
        }
        return stored;
    }

    private static ChatResponseUpdate Copy(ChatResponseUpdate update, AIContent? content) => new()
    {
        Role = update.Role,
        AuthorName = update.AuthorName,
        ResponseId = update.ResponseId,
        MessageId = update.MessageId,
        ModelId = update.ModelId,
        CreatedAt = update.CreatedAt,
        FinishReason = update.FinishReason,
        Contents = content switch
        {
            null => [],
            TextContent t => [new TextContent(t.Text)],
            _ => [content],
        },
    };
}
