using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>Tells real-looking secret values from placeholders, references and already redacted text.</summary>
internal static class SecretValues
{
    private static readonly FrozenSet<string> Placeholders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "changeme", "change-me", "change_me", "changeit", "example", "placeholder", "null", "none", "nil", "true",
        "false", "undefined", "secret", "password", "token", "todo", "tbd", "redacted", "required", "optional", "string",
        "yes", "no", "on", "off", "enabled", "disabled", "missing");

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> UpperSnakeCase =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PlaceholderLookup =
        Placeholders.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether <paramref name="value"/> is empty, a placeholder (<c>&lt;key&gt;</c>, <c>changeme</c>,
    /// <c>your-api-key</c>, <c>xxxx</c>), a reference (<c>${VAR}</c>, <c>$VAR</c>, <c>%VAR%</c>, <c>{{ x }}</c>,
    /// <c>OPENAI_API_KEY</c>)
    /// or already redacted.</summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.IsEmpty || value.StartsWith(SecretRedactor.Marker, StringComparison.Ordinal))
        {
            return true;
        }
        if (value.Contains('{') || value[0] == '$' || (value[0] == '<' && value[^1] == '>')
            || (value.Length > 1 && value[0] == '%' && value[^1] == '%'))
        {
            return true;
        }
        if (value.StartsWith("your", StringComparison.OrdinalIgnoreCase) || value.ContainsAnyExcept(value[0]) is false)
        {
            return true;
        }
        return PlaceholderLookup.Contains(value) || IsEnvironmentVariableName(value) || IsFormatString(value)
            || IsColor(value);
    }

    /// <summary><c>#1e1e1e</c>: a colour, as in syntax-highlighting themes.</summary>
    private static bool IsColor(ReadOnlySpan<char> value) =>
        value.Length is 4 or 7 or 9 && value[0] == '#' && !value[1..].ContainsAnyExcept(HexDigits);

    /// <summary><c>"%d,%d:"</c> or <c>"%(name)s"</c>: a printf-style template, not a secret.</summary>
    private static bool IsFormatString(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('%');
        return at >= 0 && at + 1 < value.Length && value[at + 1] is 's' or 'd' or 'r' or 'x' or 'f' or '(';
    }

    /// <summary><c>OPENAI_API_KEY</c>: the name of a variable holding the secret, not the secret.</summary>
    private static bool IsEnvironmentVariableName(ReadOnlySpan<char> value)
    {
        return value.Contains('_') && char.IsAsciiLetterUpper(value[0])
            && !value.ContainsAnyExcept(UpperSnakeCase);
    }
}
