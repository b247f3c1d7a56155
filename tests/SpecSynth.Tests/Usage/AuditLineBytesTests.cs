using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>
/// The audit line written straight to bytes (<see cref="RelaxedJsonBytes"/>, issue 19) against the line as
/// <see cref="Utf8JsonWriter"/> with the relaxed encoder wrote it before (the former <c>AuditLog.Line</c>, kept here as the
/// reference): the same bytes for many random records (unicode, quotes, controls, lone surrogates, long and empty fields,
/// nulls, prompts included and not), read back from the file <see cref="AuditLog"/> wrote.
/// </summary>
public sealed class AuditLineBytesTests : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 3)]
    [InlineData(true, 4)]
    public async Task Lines_OfManyRandomRecords_AreByteForByteTheJsonWriterLines(bool includePrompts, int seed)
    {
        var random = new Random(seed);
        var path = _dir.Combine("state" + seed, AuditLog.FileName);
        var who = RandomText(random, 12);
        var log = new AuditLog(path, who, includePrompts);
        var expected = new List<byte>();
        for (var i = 0; i < 400; i++)
        {
            var record = RandomRecord(random);
            var messages = Enumerable.Range(0, random.Next(0, 4))
                .Select(_ => new ChatMessage(random.Next(5) == 0 ? new ChatRole("r" + RandomText(random, 8)) : ChatRole.User, RandomText(random, 3000)))
                .ToList();
            var reply = random.Next(4) == 0 ? null : RandomText(random, 200);
            await log.AppendAsync(record, messages, reply);
            expected.AddRange(ReferenceLine(record, messages, reply, who, includePrompts));
        }

        var written = await File.ReadAllBytesAsync(path);
        var at = FirstDifference(expected, written);
        Assert.True(at < 0, $"the lines differ at byte {at}: expected ...{Around(expected.ToArray(), at)}... got ...{Around(written, at)}...");
    }

    [Fact]
    public void String_OfEveryCharacter_AloneAndBetweenOthers_IsTheWriterString()
    {
        // Every UTF-16 code unit (lone surrogates included), alone, between plain ASCII and next to a surrogate pair.
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            foreach (var text in new[] { ch.ToString(), "a" + ch + "b", "\ud83d\ude00" + ch + "\u00e9" })
            {
                AssertSameString(text);
            }
        }
    }

    [Fact]
    public void String_OfLongMixedTexts_CutAnywhere_IsTheWriterString()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            AssertSameString(RandomText(random, 20_000));
        }
        // One character to escape (or the last plain ones, or a non-ASCII one) at every place of the vector blocks.
        foreach (var odd in new[] { "\"", "\\", "\n", "\u001f", "\u007f", "\u0080", "\u00e9", "~", " ", "\u2028" })
        {
            for (var at = 0; at < 70; at++)
            {
                AssertSameString(new string('a', at) + odd + new string('b', 70 - at));
            }
        }
        // Runs longer than the writer's pieces, with a surrogate pair on each side of every cut.
        foreach (var length in new[] { 255, 256, 257, 511, 512, 1023, 1024, 1025, 4096, 9000 })
        {
            AssertSameString(new string('a', length) + "\ud83d\ude00");
            AssertSameString(string.Concat(Enumerable.Repeat("\ud83d\ude00", length)));
            AssertSameString("x" + string.Concat(Enumerable.Repeat("\ud83d\ude00", length)));
            AssertSameString(new string('\u4e2d', length) + "\ud83d" + new string('\u4e2d', length));
        }
    }

    [Fact]
    public void Numbers_AreTheWriterNumbers()
    {
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var latency = Math.Round(TimeSpan.FromTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3)).TotalMilliseconds, 1);
            var cost = Math.Round((decimal)random.NextDouble() * (decimal)Math.Pow(10, random.Next(-9, 6)), 8);
            var count = random.Next(3) == 0 ? random.NextInt64() : random.Next(-5, 100_000);
            Assert.Equal(Writer(j => j.WriteNumberValue(latency)), Mine(j => j.Number(latency)));
            Assert.Equal(Writer(j => j.WriteNumberValue(cost)), Mine(j => j.Number(cost)));
            Assert.Equal(Writer(j => j.WriteNumberValue(count)), Mine(j => j.Number(count)));
        }
        foreach (var value in new[] { 0d, 0.1, 1e-7, 1e21, 123456789012.3, double.MaxValue, double.Epsilon })
        {
            Assert.Equal(Writer(j => j.WriteNumberValue(value)), Mine(j => j.Number(value)));
        }
        foreach (var value in new[] { 0m, 1.00000000m, decimal.MaxValue, decimal.MinValue, -0.5m, 0.0000000001m })
        {
            Assert.Equal(Writer(j => j.WriteNumberValue(value)), Mine(j => j.Number(value)));
        }
        Assert.Equal(Writer(j => j.WriteNumberValue(long.MinValue)), Mine(j => j.Number(long.MinValue)));
    }

    [Fact]
    public void PromptHash_OfTextsLongerThanTheHashBuffer_IsTheHashOfTheWriterJson()
    {
        var random = new Random(5);
        for (var i = 0; i < 40; i++)
        {
            List<ChatMessage> messages = [new(ChatRole.System, RandomText(random, 100)), new(ChatRole.User, RandomText(random, 60_000))];
            var json = Writer(j => WriteMessages(j, messages));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(json)), AuditLog.PromptHash(messages));
        }
    }

    private static void AssertSameString(string text) =>
        Assert.Equal(Writer(j => j.WriteStringValue(text)), Mine(j => j.String(text)));

    private static byte[] Writer(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Mine(Action<RelaxedJsonBytes> write)
    {
        RelaxedJsonBytes? slot = null;
        var json = RelaxedJsonBytes.Start(ref slot);
        write(json);
        return json.Written.ToArray();
    }

    private static int FirstDifference(List<byte> expected, byte[] actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Length); i++)
        {
            if (expected[i] != actual[i])
            {
                return i;
            }
        }
        return expected.Count == actual.Length ? -1 : Math.Min(expected.Count, actual.Length);
    }

    private static string Around(byte[] bytes, int at) =>
        Encoding.UTF8.GetString(bytes, Math.Max(0, at - 60), Math.Min(bytes.Length, at + 60) - Math.Max(0, at - 60));

    private static UsageRecord RandomRecord(Random random) => new()
    {
        Time = DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, DateTimeOffset.MaxValue.Ticks / 2))
            .ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 60, 14 * 60))),
        RunId = RandomText(random, 40),
        Operation = random.Next(2) == 0 ? UsageOperations.Generate : RandomText(random, 10),
        Spec = random.Next(3) == 0 ? null : RandomText(random, 80),
        Project = random.Next(3) == 0 ? null : RandomText(random, 80),
        Provider = RandomText(random, 10),
        Model = RandomText(random, 20),
        KeyAlias = random.Next(3) == 0 ? null : RandomText(random, 20),
        Tokens = new TokenUsage(random.NextInt64(0, 1_000_000_000), random.Next(), random.Next(0, 3) * random.NextInt64(), random.Next(1000)),
        CostUsd = random.Next(4) == 0 ? 0m : (decimal)random.NextDouble() * (decimal)Math.Pow(10, random.Next(-10, 4)),
        Latency = TimeSpan.FromTicks(random.NextInt64(0, TimeSpan.TicksPerHour)),
        Retries = random.Next(0, 5),
        Outcome = random.Next(2) == 0 ? "ok" : RandomText(random, 30),
        CacheHit = random.Next(2) == 0,
    };

    /// <summary>A text of up to <paramref name="maxLength"/> characters: empty, plain ASCII, or a mix of plain runs,
    /// controls, quotes, backslashes, DEL, Latin-1, CJK, line separators, surrogate pairs and lone surrogates.</summary>
    private static string RandomText(Random random, int maxLength)
    {
        var kind = random.Next(6);
        if (kind == 0)
        {
            return "";
        }
        var length = random.Next(1, maxLength + 1);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            switch (kind == 1 ? 0 : random.Next(10))
            {
                case < 5:
                    text.Append((char)random.Next(0x20, 0x7F), random.Next(1, 60));
                    break;
                case 5:
                    text.Append((char)random.Next(0, 0x80));
                    break;
                case 6:
                    text.Append("\"\\\n\r\t\u007f"[random.Next(6)]);
                    break;
                case 7:
                    text.Append((char)random.Next(0x80, 0xD800));
                    break;
                case 8:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                default:
                    text.Append((char)random.Next(0xD800, 0x10000));
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>The former <c>AuditLog.Line</c> (main 1e860f6): the line through <see cref="Utf8JsonWriter"/>.</summary>
    private static byte[] ReferenceLine(UsageRecord r, IReadOnlyList<ChatMessage> messages, string? reply, string who, bool includePrompts)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            Span<byte> time = stackalloc byte[UsageLedger.StampBytes];
            json.WriteString("time", time[..UsageLedger.Stamp(r.Time, time)]);
            json.WriteString("who", who);
            json.WriteString("run_id", r.RunId);
            json.WriteString("operation", r.Operation);
            WriteOptional(json, "spec", r.Spec);
            WriteOptional(json, "project", r.Project);
            json.WriteString("provider", r.Provider);
            json.WriteString("model", r.Model);
            WriteOptional(json, "key_alias", r.KeyAlias);
            json.WriteNumber("input_tokens", r.Tokens.InputTokens);
            json.WriteNumber("output_tokens", r.Tokens.OutputTokens);
            json.WriteNumber("cache_write_tokens", r.Tokens.CacheWriteTokens);
            json.WriteNumber("cache_read_tokens", r.Tokens.CacheReadTokens);
            json.WriteNumber("cost_usd", Math.Round(r.CostUsd, 8));
            json.WriteNumber("latency_ms", Math.Round(r.Latency.TotalMilliseconds, 1));
            json.WriteNumber("retries", r.Retries);
            json.WriteString("outcome", r.Outcome);
            json.WriteBoolean("cache_hit", r.CacheHit);
            var hashed = new ArrayBufferWriter<byte>();
            using (var hashJson = new Utf8JsonWriter(hashed, WriterOptions))
            {
                WriteMessages(hashJson, messages);
            }
            json.WriteString("prompt_sha256", Convert.ToHexStringLower(SHA256.HashData(hashed.WrittenSpan)));
            if (includePrompts)
            {
                json.WritePropertyName("prompt");
                WriteMessages(json, messages);
                WriteOptional(json, "reply", reply is null ? null : SpecSynth.Projects.SecretRedactor.Redact(reply));
            }
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessages(Utf8JsonWriter json, IEnumerable<ChatMessage> messages)
    {
        json.WriteStartArray();
        foreach (var message in messages)
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role.Value);
            json.WritePropertyName("text");
            // In pieces of at most 2,048 characters, never between the halves of a pair, as the former line did.
            var rest = message.Text.AsSpan();
            while (rest.Length > 2048)
            {
                var take = char.IsHighSurrogate(rest[2047]) ? 2047 : 2048;
                json.WriteStringValueSegment(rest[..take], isFinalSegment: false);
                rest = rest[take..];
            }
            json.WriteStringValueSegment(rest, isFinalSegment: true);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
