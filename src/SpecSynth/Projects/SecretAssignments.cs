using System.Buffers;
using System.Text;

namespace SpecSynth.Projects;

/// <summary>
/// Redacts values assigned to secret-looking keys (<c>api_key</c>, <c>clientSecret</c>, <c>DB_PASSWORD</c>, ...)
/// in the forms <c>key = "v"</c>, <c>key: v</c>, <c>"key": "v"</c>, <c>KEY=v</c>, <c>key := "v"</c>. The key word
/// must stand alone or at a camelCase/snake_case boundary (<c>tokenizer</c> and <c>max_tokens</c> are not keys);
/// keys naming metadata (<c>token_url</c>, <c>secretName</c>) are left alone. Quoted literals are always values;
/// an unquoted rest of line only in <see cref="RedactionMode.Config"/>. A single pass: no regex, no backtracking.
/// </summary>
internal static class SecretAssignments
{
    private static readonly string[] Words =
    [
        "api_key", "api-key", "apikey", "secret", "token", "password", "passwd", "pwd", "passphrase",
        "private_key", "private-key", "privatekey", "access_key", "access-key", "accesskey", "credential",
    ];

    private static readonly SearchValues<string> WordSearch = SearchValues.Create(Words, StringComparison.OrdinalIgnoreCase);

    private static readonly string[] MetadataSuffixes =
    [
        "url", "uri", "endpoint", "name", "type", "file", "path", "dir", "length", "count", "ttl", "expiry",
        "expires", "expiration", "timeout", "header", "field", "policy", "lifetime", "format", "prefix", "env",
        "hint", "kind", "mode", "variable", "var",
    ];

    public static string Redact(string text, RedactionMode mode, ref int count)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var hit = text.AsSpan(pos).IndexOfAny(WordSearch);
            if (hit < 0)
            {
                break;
            }
            hit += pos;
            var (keyStart, keyEnd) = KeyAround(text, hit);
            pos = keyEnd;
            if (!AssignedValue(text, keyStart, hit, keyEnd, mode, out var start, out var length))
            {
                continue;
            }
            pos = start + length;
            if (SecretValues.IsPlaceholder(text.AsSpan(start, length)))
            {
                continue;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, start - copied).Append(SecretRedactor.Marker);
            copied = pos;
            count++;
        }
        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The identifier (<c>[A-Za-z0-9_.-]</c> run) around a hit.</summary>
    private static (int Start, int End) KeyAround(string text, int hit)
    {
        var start = hit;
        while (start > 0 && IsKeyChar(text[start - 1]))
        {
            start--;
        }
        var end = hit;
        while (end < text.Length && IsKeyChar(text[end]))
        {
            end++;
        }
        return (start, end);
    }

    /// <summary>The value assigned to the identifier <paramref name="keyStart"/>..<paramref name="keyEnd"/>, when
    /// the identifier is a secret key. Each identifier is examined once, in time linear in its length.</summary>
    private static bool AssignedValue(string text, int keyStart, int firstWord, int keyEnd, RedactionMode mode,
        out int start, out int length)
    {
        start = length = 0;
        var opening = keyStart > 0 && text[keyStart - 1] is '"' or '\'' ? text[keyStart - 1] : '\0';
        var closing = keyEnd < text.Length && text[keyEnd] is '"' or '\'' ? text[keyEnd] : '\0';
        var valueAt = opening == closing ? SkipSeparator(text, closing == '\0' ? keyEnd : keyEnd + 1) : -1;
        return valueAt >= 0
            && ValueAt(text, valueAt, mode, out start, out length)
            && IsSecretKey(text, keyStart, firstWord, keyEnd);
    }

    /// <summary>Whether a secret word stands alone in the key's last dotted part (<c>db.password</c>, not
    /// <c>Token.Keyword</c> or <c>tokenizer</c>) and the key does not name metadata (<c>token_url</c>) or the
    /// shell's working directory (<c>PWD</c>).</summary>
    private static bool IsSecretKey(string text, int keyStart, int firstWord, int keyEnd)
    {
        var key = text.AsSpan(keyStart, keyEnd - keyStart);
        var lastPart = keyStart + key.LastIndexOf('.') + 1;
        var standsAlone = false;
        for (var word = firstWord; word >= 0 && !standsAlone; word = NextWord(text, word + 1, keyEnd))
        {
            standsAlone = word >= lastPart && StartsKeyPart(text, word) && EndsKeyPart(text, word, word + WordLengthAt(text, word));
        }
        if (!standsAlone || key.Equals("PWD", StringComparison.Ordinal) || key.Equals("OLDPWD", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var suffix in MetadataSuffixes)
        {
            if (key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    private static int NextWord(string text, int from, int end)
    {
        var hit = from < end ? text.AsSpan(from, end - from).IndexOfAny(WordSearch) : -1;
        return hit < 0 ? -1 : from + hit;
    }

    private static int WordLengthAt(string text, int index)
    {
        var longest = 1;
        var first = char.ToLowerInvariant(text[index]);
        foreach (var word in Words)
        {
            if (word[0] == first && word.Length > longest && text.AsSpan(index).StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                longest = word.Length;
            }
        }
        return longest;
    }

    private static bool StartsKeyPart(string text, int wordStart)
    {
        if (wordStart == 0 || !char.IsLetterOrDigit(text[wordStart - 1]))
        {
            return true;
        }
        var previous = text[wordStart - 1];
        return (char.IsLower(previous) || char.IsDigit(previous)) && char.IsUpper(text[wordStart]);
    }

    private static bool EndsKeyPart(string text, int wordStart, int wordEnd)
    {
        if (wordEnd == text.Length || !char.IsLetterOrDigit(text[wordEnd]))
        {
            return true;
        }
        var next = text[wordEnd];
        if (char.IsUpper(next) && char.IsLower(text[wordEnd - 1]))
        {
            return true;
        }
        var plural = next is 's' or 'S' && (wordEnd + 1 == text.Length || !char.IsLetterOrDigit(text[wordEnd + 1]));
        return plural && !text.AsSpan(wordStart, wordEnd - wordStart).Equals("token", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>Index just after <c>=</c>, <c>:</c> or <c>:=</c> and the blanks around it, or -1.</summary>
    private static int SkipSeparator(string text, int i)
    {
        i = SkipBlanks(text, i);
        if (i >= text.Length || text[i] is not (':' or '='))
        {
            return -1;
        }
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        if (text[i] == '=' && next is '=' or '>' || text[i] == ':' && next == ':')
        {
            return -1;
        }
        return SkipBlanks(text, text[i] == ':' && next == '=' ? i + 2 : i + 1);
    }

    private static int SkipBlanks(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
        return i;
    }

    private static bool ValueAt(string text, int i, RedactionMode mode, out int start, out int length)
    {
        start = length = 0;
        if (i < text.Length && text[i] == '@' && i + 1 < text.Length && text[i + 1] == '"')
        {
            i++;
        }
        if (i >= text.Length)
        {
            return false;
        }
        if (text[i] is '"' or '\'' or '`')
        {
            var close = ClosingQuote(text, i);
            (start, length) = (i + 1, close - i - 1);
            return close > 0 && !(text[i] == '`' && text.AsSpan(start, length).ContainsAny(' ', '\t'))
                && !StartsAnotherLiteral(text, close + 1);
        }
        return mode switch
        {
            RedactionMode.Config => UnquotedValue(text, i, out start, out length),
            RedactionMode.Prose => UnquotedValue(text, i, out start, out length) && !text.AsSpan(start, length).ContainsAny(' ', '\t'),
            _ => false,
        };
    }

    /// <summary>In <c>.Append(", ApiKey = ").Append(x ? "(none)" : "")</c> the "value" runs from the end of one literal
    /// to the start of the next, which is followed by code, not by a separator.</summary>
    private static bool StartsAnotherLiteral(string text, int afterClose) =>
        afterClose < text.Length && (char.IsLetterOrDigit(text[afterClose]) || text[afterClose] is '(' or '"' or '\'' or '$' or '_');

    private static int ClosingQuote(string text, int open)
    {
        for (var j = open + 1; j < text.Length && text[j] is not ('\n' or '\r'); j++)
        {
            if (text[j] == '\\')
            {
                j++;
            }
            else if (text[j] == text[open])
            {
                return j;
            }
        }
        return -1;
    }

    private static bool UnquotedValue(string text, int i, out int start, out int length)
    {
        (start, length) = (i, 0);
        if (text[i] is '|' or '>' or '[' or '{' or '&' or '*' or '!' or '\r' or '\n')
        {
            return false;
        }
        var end = text.IndexOfAny(['\r', '\n'], i);
        end = end < 0 ? text.Length : end;
        var line = text.AsSpan(i, end - i);
        foreach (var comment in (ReadOnlySpan<string>)[" #", "\t#", " ;", " //"])
        {
            var at = line.IndexOf(comment, StringComparison.Ordinal);
            line = at >= 0 ? line[..at] : line;
        }
        line = line.TrimEnd();
        length = line.Length;
        return length > 0;
    }
}
