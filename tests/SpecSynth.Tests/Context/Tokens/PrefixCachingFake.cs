using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>
/// A <see cref="FakeProviderServer.Router"/> for <c>/v1/messages</c> that caches prefixes the way Anthropic does: the
/// prefix ends at the last block carrying <c>cache_control</c> (system blocks first, then the messages' blocks); a
/// prefix seen before is reported as <c>cache_read_input_tokens</c>, a new one as <c>cache_creation_input_tokens</c>;
/// everything after it is uncached input. Tokens are characters / 4, rounded up, per block.
/// </summary>
internal sealed class PrefixCachingFake
{
    private readonly HashSet<string> _cached = new(StringComparer.Ordinal);

    public FakeResponse? Route(RecordedRequest request)
    {
        if (request.Path != "/v1/messages")
        {
            return null;
        }
        var body = request.Json;
        var blocks = new List<(string Text, bool Breakpoint)>();
        void Add(JsonElement content)
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                blocks.Add((content.GetString()!, false));
                return;
            }
            foreach (var block in content.EnumerateArray())
            {
                blocks.Add((block.GetProperty("text").GetString()!, block.TryGetProperty("cache_control", out _)));
            }
        }
        if (body.TryGetProperty("system", out var system))
        {
            Add(system);
        }
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            Add(message.GetProperty("content"));
        }
        var last = blocks.FindLastIndex(b => b.Breakpoint);
        var prefixTokens = blocks.Take(last + 1).Sum(b => Tokens(b.Text));
        var total = blocks.Sum(b => Tokens(b.Text));
        long read = 0, write = 0;
        if (last >= 0)
        {
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u0001", blocks.Take(last + 1).Select(b => b.Text)))));
            lock (_cached)
            {
                if (_cached.Add(key))
                {
                    write = prefixTokens;
                }
                else
                {
                    read = prefixTokens;
                }
            }
        }
        var stream = body.TryGetProperty("stream", out var s) && s.GetBoolean();
        return stream
            ? AnthropicWire.Stream(["// filepath: a.txt\n"], input: total - read - write, output: 20, cacheWrite: write, cacheRead: read)
            : AnthropicWire.Json("ok", input: total - read - write, output: 20, cacheWrite: write, cacheRead: read);
    }

    private static long Tokens(string text) => (text.Length + 3) / 4;
}
