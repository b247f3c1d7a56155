using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>Reads the message and code out of an error body of any of the three providers.</summary>
/// <param name="Message">The provider's own text, or <c>null</c>.</param>
/// <param name="Code">The error type or code (<c>overloaded_error</c>, <c>model_not_found</c>), or <c>null</c>.</param>
internal sealed record ProviderErrorBody(string? Message, string? Code)
{
    private const int MaxPlainTextChars = 300;

    /// <summary>
    /// Anthropic <c>{"type":"error","error":{"type","message"}}</c>, OpenAI <c>{"error":{"message","code","type"}}</c>,
    /// Ollama <c>{"error":"text"}</c>; anything else is returned as short plain text.
    /// </summary>
    public static ProviderErrorBody Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ProviderErrorBody(null, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return FromJson(doc.RootElement) ?? Plain(body);
        }
        catch (JsonException)
        {
            return Plain(body);
        }
    }

    private static ProviderErrorBody? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return new ProviderErrorBody(error.GetString(), null);
            }
            if (error.ValueKind == JsonValueKind.Object)
            {
                var code = Text(error, "code") ?? Text(error, "type") ?? DetailsCode(error);
                return new ProviderErrorBody(Text(error, "message"), code);
            }
        }
        var message = Text(root, "message") ?? Text(root, "detail");
        return message is null ? null : new ProviderErrorBody(message, Text(root, "code"));
    }

    private static string? DetailsCode(JsonElement error) =>
        error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Text(details, "error_code") : null;

    /// <summary>The <c>error.details.error_code</c> (Anthropic) or <c>error.code</c>/<c>error.type</c> (OpenAI) values, all of them.</summary>
    public static IReadOnlyList<string> AllCodes(string? body)
    {
        var codes = new List<string>();
        if (string.IsNullOrWhiteSpace(body))
        {
            return codes;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                foreach (var code in new[] { Text(error, "code"), Text(error, "type"), DetailsCode(error) })
                {
                    if (code is not null)
                    {
                        codes.Add(code);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
        return codes;
    }

    /// <summary>OpenAI's <c>error.param</c> (the request field the error is about), or <c>null</c>.</summary>
    public static string? Param(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? Text(error, "param") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static ProviderErrorBody Plain(string body)
    {
        var text = body.Trim();
        return new ProviderErrorBody(text.Length > MaxPlainTextChars ? text[..MaxPlainTextChars] + "…" : text, null);
    }
}
