using System.Globalization;
using System.Text.Json;

namespace SpecSynth.Cli.Mcp;

/// <summary>A tool call's arguments, read by name and type; a wrong type is bad input naming the argument.</summary>
internal sealed class McpArguments(IDictionary<string, JsonElement>? arguments)
{
    private readonly IDictionary<string, JsonElement> _arguments = arguments ?? new Dictionary<string, JsonElement>();

    public string? String(string name) => Get(name) is { } e
        ? e.ValueKind == JsonValueKind.String ? e.GetString() : throw Bad(name, "a string")
        : null;

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } value ? value : throw new SpecSynthException(ErrorKind.InvalidInput, $"'{name}' is required.");

    public bool Bool(string name, bool fallback) => Get(name) is { } e
        ? e.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw Bad(name, "true or false") }
        : fallback;

    public int? Int(string name) => Get(name) is { } e
        ? e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value) ? value : throw Bad(name, "an integer")
        : null;

    public decimal? Decimal(string name) => Get(name) is { } e
        ? e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var value) ? value : throw Bad(name, "a number")
        : null;

    public IReadOnlyList<string> StringList(string name)
    {
        if (Get(name) is not { } e)
        {
            return [];
        }
        if (e.ValueKind == JsonValueKind.String)
        {
            return [e.GetString()!];
        }
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
        {
            throw Bad(name, "an array of strings");
        }
        return [.. e.EnumerateArray().Select(i => i.GetString()!)];
    }

    private JsonElement? Get(string name) =>
        _arguments.TryGetValue(name, out var e) && e.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? e : null;

    private static SpecSynthException Bad(string name, string what) =>
        new(ErrorKind.InvalidInput, string.Create(CultureInfo.InvariantCulture, $"'{name}' must be {what}."));
}
