using System.Text.Encodings.Web;
using System.Text.Json;

namespace SpecSynth.Cli;

/// <summary>The JSON settings of every <c>--json</c> output: snake_case names, indented, enums as strings.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
