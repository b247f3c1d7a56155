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

    [Theory]
    [MemberData(nameof(Streams))]
    public void TheEntry_ReadsBackAsTheNormalisedCopies_FieldForField(string name)
    {
        var updates = Cases()[name];
        var expected = ReferenceNormalize(updates);

        var read = ResponseCacheCodec.Deserialize(ResponseCacheCodec.SerializeReply(updates, ChunkChars));

        Assert.NotNull(read);
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], read[i]);
            Assert.Equal(e.Role, a.Role);
            Assert.Equal(e.AuthorName, a.AuthorName);
            Assert.Equal(e.ResponseId, a.ResponseId);
            Assert.Equal(e.MessageId, a.MessageId);
            Assert.Equal(e.ModelId, a.ModelId);
            Assert.Equal(e.CreatedAt?.ToString("O"), a.CreatedAt?.ToString("O")); // the offset too, not only the instant
            Assert.Equal(e.FinishReason, a.FinishReason);
            Assert.Equal(e.Contents.Count, a.Contents.Count);
            Assert.Equal(string.Concat(e.Contents.OfType<TextContent>().Select(t => t.Text)), string.Concat(a.Contents.OfType<TextContent>().Select(t => t.Text)));
            Assert.Equal(e.AdditionalProperties?.Count ?? 0, a.AdditionalProperties?.Count ?? 0);
        }
    }

    [Fact]
    public void An_entry_gives_each_field_once_while_it_stays_the_same_and_escapes_only_what_json_requires()
    {
        ChatResponseUpdate Update(AIContent content, ChatFinishReason? finish = null) => new(ChatRole.Assistant, [content])
        {
            ResponseId = "r1",
            MessageId = "m1",
            ModelId = "gpt-4.1",
            CreatedAt = Created,
            FinishReason = finish,
        };
        List<ChatResponseUpdate> updates =
        [
            Update(new TextContent("a")),
            Update(new FunctionCallContent("c1", "f")),
            Update(new TextContent("b"), ChatFinishReason.Stop),
            Update(new UsageContent(new UsageDetails { InputTokenCount = 1 }), ChatFinishReason.Stop),
        ];

        var entry = Encoding.UTF8.GetString(ResponseCacheCodec.Serialize(updates));

        foreach (var field in new[] { "\"role\":\"assistant\"", "\"response_id\":\"r1\"", "\"message_id\":\"m1\"", "\"model\":\"gpt-4.1\"",
            "\"created\":\"2026-12-07T08:00:00.0000000+01:00\"", "\"finish\":\"stop\"" })
        {
            Assert.Equal(1, CountOf(entry, field));
        }
        Assert.DoesNotContain("null", entry);
        Assert.Equal(4, ResponseCacheCodec.Deserialize(Encoding.UTF8.GetBytes(entry))!.Count(u => u.ModelId == "gpt-4.1" && u.ResponseId == "r1"));
        var code = Encoding.UTF8.GetString(ResponseCacheCodec.SerializeReply([new ChatResponseUpdate(ChatRole.Assistant, "if (a < b && c > 'd') { s = \"caf\u00e9\\n\"; }")], ChunkChars));
        Assert.Contains("if (a < b && c > 'd') { s = \\\"caf\u00e9\\\\n\\\"; }", code);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

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
            // Fields written only where they change: unset in the middle (written as null), the same instant at another
            // offset (a change), back again.
            ["fields that change, become unset and come back"] =
            [
                Text("a"),
                new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "f")]) { CreatedAt = Created.ToOffset(TimeSpan.Zero), AuthorName = "x" },
                new ChatResponseUpdate(null, "no role") { FinishReason = ChatFinishReason.Stop },
                Text("c"),
                new ChatResponseUpdate { Contents = [Usage(1, 2)] },
            ],
        };
    }

    /// <summary>The normaliser <see cref="ResponseCacheCodec.SerializeReply"/> replaced (session 9's
    /// <c>ResponseCachingChatClient.Normalize</c>), kept as the reference.</summary>
    private static List<ChatResponseUpdate> ReferenceNormalize(IReadOnlyList<ChatResponseUpdate> updates) => Normalized(updates, ChunkChars);

    /// <summary>The reference normaliser with text chunks of <paramref name="chunkChars"/> characters.</summary>
    internal static List<ChatResponseUpdate> Normalized(IReadOnlyList<ChatResponseUpdate> updates, int chunkChars)
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
                if (content is TextContent { Text: var t } && text is not null && text.Role == update.Role && text.Text.Length < chunkChars)
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
