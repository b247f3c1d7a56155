using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The audit log's appends: whole lines, never interleaved, from many writers at once.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ManyWritersAtOnce_EachOwningTheFileInTurn_LoseAndTearNoLine()
    {
        const int Writers = 8;
        const int LinesEach = 150;
        var path = _dir.Combine("state", AuditLog.FileName);
        // A long prompt makes each line ~40 KB, far above any single-write atomicity the OS would give for free.
        ChatMessage[] prompt = [new(ChatRole.User, new string('p', 40_000))];

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var log = new AuditLog(path, $"writer{w}", includePrompts: true);
            for (var i = 0; i < LinesEach; i++)
            {
                await log.AppendAsync(Record($"run-{w}", i), prompt, $"reply {w}/{i}");
            }
        })));

        var lines = File.ReadAllLines(path);
        Assert.Equal(Writers * LinesEach, lines.Length);
        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        for (var w = 0; w < Writers; w++)
        {
            var mine = parsed.Where(p => p.GetProperty("who").GetString() == $"writer{w}").Select(p => p.GetProperty("reply").GetString()).ToList();
            Assert.Equal(Enumerable.Range(0, LinesEach).Select(i => $"reply {w}/{i}"), mine);
        }
    }

    /// <summary>The SHA-256 of the messages' JSON array as the JSON writer writes it, one value at a time.</summary>
    private static string Reference(List<ChatMessage> messages)
    {
        var reference = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(reference, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role.Value);
                json.WriteString("text", message.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(reference.WrittenSpan));
    }

    private static UsageRecord Record(string run, int i) => new()
    {
        Time = DateTimeOffset.UnixEpoch.AddSeconds(i),
        RunId = run,
        Operation = UsageOperations.Generate,
        Provider = "mock",
        Model = "mock-1",
        Outcome = "ok",
    };

    [Fact]
    public void PromptHash_IsTheHashOfTheWholeJsonArray_HoweverLongTheTextsAndWhereverTheirEscapesFall()
    {
        // Escapes, a surrogate pair and a quote on each side of the 2,048-char segment boundaries, and a text of 100,000 chars.
        var edge = new string('a', 2046) + "\"\ud83d\ude00\n\t\\\u0001é" + new string('b', 2040) + "\ud83d\ude00";
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You write C#.\n"),
            new(ChatRole.User, edge),
            new(ChatRole.User, string.Concat(Enumerable.Repeat("line \"one\"\r\n\u00e9\u4e2d\ud83d\ude00 ", 4000))),
            new(ChatRole.Assistant, ""),
        ];
        for (var shift = 0; shift < 8; shift++)
        {
            messages[1] = new ChatMessage(ChatRole.User, new string('c', shift) + edge);
            Assert.Equal(Reference(messages), AuditLog.PromptHash(messages));
        }
    }

    [Fact]
    public void PromptHash_OfTextsWithAndWithoutEscapes_EveryCharacterBelow256_IsTheHashOfTheWriterJson()
    {
        // Every character alone (the ASCII ones the writer keeps as they are, the controls, DEL, the quote, the backslash,
        // Latin-1), next to plain texts in the same prompt, a plain role and an odd one, and plain texts long enough to
        // fill the hash's buffer several times over.
        var plain = string.Concat(Enumerable.Range(0x20, 0x5F).Select(c => (char)c).Where(c => c is not '"' and not '\\'));
        var texts = Enumerable.Range(0, 256).Select(c => "x" + (char)c + "y").ToList();
        texts.AddRange([plain, "", new string('a', 40_000), string.Concat(Enumerable.Repeat(plain, 700)), "tail \u007f", "caf\u00e9"]);
        foreach (var text in texts)
        {
            List<ChatMessage> messages = [new(ChatRole.System, "You write C#."), new(ChatRole.User, text), new(new ChatRole("odd\"role"), plain)];
            Assert.Equal(Reference(messages), AuditLog.PromptHash(messages));
        }
    }

    [Fact]
    public void PromptHash_AfterAFailedHash_IsTheSame_TheReusedHashStartsAfresh()
    {
        List<ChatMessage> messages = [new(ChatRole.System, "You write C#."), new(ChatRole.User, "Write a parser.")];
        var expected = AuditLog.PromptHash(messages);

        Assert.Throws<InvalidOperationException>(() => AuditLog.PromptHash(Failing()));

        Assert.Equal(expected, AuditLog.PromptHash(messages));
        Assert.Equal(64, expected.Length);

        IEnumerable<ChatMessage> Failing()
        {
            yield return new ChatMessage(ChatRole.User, "half of a prompt");
            throw new InvalidOperationException("the caller's enumeration failed");
        }
    }

    [Fact]
    public async Task Lines_OneLongThenShortOnes_FromOneThread_EachWhole()
    {
        var path = _dir.Combine("state", AuditLog.FileName);
        var log = new AuditLog(path, "me", includePrompts: true);
        string[] texts = ["short", new string('x', 200_000), "after the long one", "and another"];
        for (var i = 0; i < texts.Length; i++)
        {
            await log.AppendAsync(Record("run", i), [new ChatMessage(ChatRole.User, texts[i])], "reply " + i);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(texts.Length, lines.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var line = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(texts[i], line.GetProperty("prompt")[0].GetProperty("text").GetString());
            Assert.Equal("reply " + i, line.GetProperty("reply").GetString());
            Assert.Equal(AuditLog.PromptHash([new ChatMessage(ChatRole.User, texts[i])]), line.GetProperty("prompt_sha256").GetString());
        }
    }

    [Fact]
    public async Task Line_IsExactlyTheDocumentedFieldsInOrder_ByteForByte()
    {
        var path = _dir.Combine("state", AuditLog.FileName);
        var log = new AuditLog(path, "me@box", includePrompts: false);
        var record = new UsageRecord
        {
            Time = new DateTimeOffset(2026, 12, 7, 11, 11, 12, TimeSpan.FromHours(1)).AddTicks(3_456_789),
            RunId = "run-1",
            Operation = UsageOperations.Generate,
            Spec = "specs/a.md",
            Provider = "openai",
            Model = "gpt-x",
            KeyAlias = "OPENAI_API_KEY",
            Tokens = new TokenUsage(10, 20, 3, 4),
            CostUsd = 0.0123456789m,
            Latency = TimeSpan.FromMilliseconds(12.34),
            Retries = 2,
            Outcome = "ok",
        };

        await log.AppendAsync(record, [new ChatMessage(ChatRole.User, "hi")], reply: null);

        // The hash is SHA-256 of [{"role":"user","text":"hi"}]; the time is UTC with seven fraction digits.
        Assert.Equal(
            "{\"time\":\"2026-12-07T10:11:12.3456789Z\",\"who\":\"me@box\",\"run_id\":\"run-1\",\"operation\":\"generate\",\"spec\":\"specs/a.md\"," +
            "\"project\":null,\"provider\":\"openai\",\"model\":\"gpt-x\",\"key_alias\":\"OPENAI_API_KEY\",\"input_tokens\":10,\"output_tokens\":20," +
            "\"cache_write_tokens\":3,\"cache_read_tokens\":4,\"cost_usd\":0.01234568,\"latency_ms\":12.3,\"retries\":2,\"outcome\":\"ok\"," +
            "\"cache_hit\":false,\"prompt_sha256\":\"87a5ac23614dee2c6f278a14a6b64a3a1455ccac0529d547d6a51b5ae9f22051\"}\n",
            File.ReadAllText(path));
    }
}
