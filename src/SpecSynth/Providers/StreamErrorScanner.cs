using System.Text;
using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>
/// Watches the lines of a successful (200) streamed body for errors the SDKs do not raise: an OpenAI-compatible
/// chunk carrying <c>"error": {...}</c> (OpenRouter), a named <c>event: error</c> frame (Groq), an Ollama NDJSON
/// <c>{"error": "..."}</c> line, and OpenAI <c>finish_reason</c> values the SDK does not know (it throws on them):
/// those are recorded and blanked to <c>null</c> so the SDK keeps reading. The first error found is kept in
/// <see cref="ProviderCallRecord.StreamError"/>; lines pass through otherwise unchanged.
/// </summary>
internal sealed class StreamErrorScanner(ProviderCallRecord record)
{
    private static readonly string[] KnownFinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    /// <summary><see cref="KnownFinishReasons"/> as the JSON strings a line holds (UTF-8, quoted).</summary>
    private static readonly byte[][] QuotedKnownFinishReasons = Array.ConvertAll(KnownFinishReasons, r => Encoding.UTF8.GetBytes('"' + r + '"'));
    private bool _inErrorEvent;

    /// <summary>Whether <see cref="Scan"/> could change <paramref name="line"/> (its UTF-8 bytes) or record anything from
    /// it: <c>false</c> only for a line it would surely pass on as it is (no <c>event:</c> line, no error event under way,
    /// no <c>"error"</c> key and no <c>finish_reason</c> other than <c>null</c> or a known one), so such a line need not be
    /// decoded at all. Anything unclear (a non-ASCII space where the string search trims) answers <c>true</c>.</summary>
    public bool MayChange(ReadOnlySpan<byte> line) =>
        _inErrorEvent || line.StartsWith("event:"u8) || line.IndexOf("\"error\""u8) >= 0 || HasFinishReason(line);

    public string Scan(string line)
    {
        var text = line.AsSpan().TrimEnd("\r\n");
        if (text.StartsWith("event:", StringComparison.Ordinal))
        {
            _inErrorEvent = text[6..].Trim().Equals("error", StringComparison.Ordinal);
            return line;
        }
        var json = text.StartsWith("data:", StringComparison.Ordinal) ? text[5..].Trim() : text.TrimStart();
        // Most lines are chunks whose finish_reason is null: nothing to look at, so no JSON document is built for them.
        if (!json.StartsWith('{') || !(json.Contains("\"error\"", StringComparison.Ordinal) || _inErrorEvent || HasFinishReason(json)))
        {
            return line;
        }
        try
        {
            using var doc = JsonDocument.Parse(json.ToString());
            var root = doc.RootElement;
            if (_inErrorEvent || root.TryGetProperty("error", out _))
            {
                Record(root);
                return line;
            }
            return UnknownFinishReason(root) is { } reason
                ? Blank(line, reason)
                : line;
        }
        catch (JsonException)
        {
            return line;
        }
    }

    /// <summary>Whether a <c>"finish_reason"</c> key of <paramref name="json"/> has a value other than <c>null</c> (or
    /// looks as if it might: anything unclear is parsed).</summary>
    private static bool HasFinishReason(ReadOnlySpan<char> json)
    {
        const string Key = "\"finish_reason\"";
        for (var at = json.IndexOf(Key, StringComparison.Ordinal); at >= 0; at = json.IndexOf(Key, StringComparison.Ordinal))
        {
            json = json[(at + Key.Length)..].TrimStart();
            if (json.StartsWith(':'))
            {
                json = json[1..].TrimStart();
            }
            if (!json.StartsWith("null", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><see cref="HasFinishReason(ReadOnlySpan{char})"/> over UTF-8 bytes, trimming ASCII white space only, and
    /// with a known reason counted like <c>null</c>: an ASCII key or <c>null</c> is found at the same places in the bytes as
    /// in the text, and a non-ASCII space before a value is kept. A line answered <c>false</c> here is one the scan would
    /// pass on as it is: each of its finish reasons is <c>null</c> or known.</summary>
    private static bool HasFinishReason(ReadOnlySpan<byte> json)
    {
        var key = "\"finish_reason\""u8;
        for (var at = json.IndexOf(key); at >= 0; at = json.IndexOf(key))
        {
            json = json[(at + key.Length)..].TrimStart(" \t\n\v\f\r"u8);
            if (json.StartsWith(":"u8))
            {
                json = json[1..].TrimStart(" \t\n\v\f\r"u8);
            }
            if (!json.StartsWith("null"u8) && !StartsWithKnownReason(json))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="json"/> starts with a JSON string, written without escapes, that is one of the
    /// <see cref="KnownFinishReasons"/> (the scan leaves those as they are): the finish chunk of every reply that ends
    /// normally, so it need not be decoded and parsed either.</summary>
    private static bool StartsWithKnownReason(ReadOnlySpan<byte> json)
    {
        foreach (var reason in QuotedKnownFinishReasons)
        {
            if (json.StartsWith(reason))
            {
                return true;
            }
        }
        return false;
    }

    private void Record(JsonElement root)
    {
        var error = root.TryGetProperty("error", out var e) ? e : root;
        var message = error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
            _ => error.GetRawText(),
        };
        int? code = null;
        foreach (var name in new[] { "status_code", "code", "status" })
        {
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.Number
                && c.TryGetInt32(out var n))
            {
                code = n;
                break;
            }
        }
        record.StreamError ??= new StreamError(message ?? "unknown error", code);
    }

    private static string? UnknownFinishReason(JsonElement root)
    {
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String
                && !KnownFinishReasons.Contains(f.GetString()))
            {
                return f.GetString();
            }
        }
        return null;
    }

    private string Blank(string line, string reason)
    {
        record.StreamError ??= new StreamError($"the stream ended with finish_reason '{reason}'", null);
        return line.Replace($"\"finish_reason\":\"{reason}\"", "\"finish_reason\":null", StringComparison.Ordinal)
            .Replace($"\"finish_reason\": \"{reason}\"", "\"finish_reason\": null", StringComparison.Ordinal);
    }
}
