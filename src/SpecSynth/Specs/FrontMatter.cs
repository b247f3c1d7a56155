using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SpecSynth.Specs;

/// <summary>
/// YAML front matter: flattening to string pairs, and the "headless" variant PRP documents use
/// (<c>name:</c> / <c>description: |</c> lines with no opening <c>---</c>).
/// </summary>
internal static partial class FrontMatter
{
    /// <summary>An empty, case-insensitive front-matter map.</summary>
    public static IReadOnlyDictionary<string, string> Empty { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase).AsReadOnly();

    /// <summary>
    /// Parses YAML and flattens its top-level mapping: nested keys joined with <c>.</c>, a list of scalars
    /// joined with <c>", "</c>, other list items as <c>key[i]</c>. Invalid or non-mapping YAML gives an empty map.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Flatten(string yaml) => FlatPairs(yaml) ?? FlattenYaml(yaml);

    /// <summary><see cref="Flatten"/> through YamlDotNet, whatever the shape (the fast path's reference in the tests).</summary>
    internal static IReadOnlyDictionary<string, string> FlattenYaml(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return Empty;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Empty;
        }
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        AddMapping(root, prefix: string.Empty, result);
        return result.AsReadOnly();
    }

    /// <summary>
    /// Finds headless front matter: the first line is <c>name:</c>, <c>title:</c> or <c>description:</c>, and
    /// the block runs to a lone <c>---</c> line (included) or the first column-0 heading (excluded) and parses
    /// as a YAML mapping. Returns the length of the block in <paramref name="text"/>, or 0 when there is none.
    /// </summary>
    public static int FindHeadless(string text, out IReadOnlyDictionary<string, string> values)
    {
        values = Empty;
        if (!HeadlessFirstLine().IsMatch(text))
        {
            return 0;
        }
        var (yamlEnd, blockEnd) = HeadlessBlockEnd(text);
        var parsed = Flatten(text[..yamlEnd]);
        if (parsed.Count == 0)
        {
            return 0;
        }
        values = parsed;
        return blockEnd;
    }

    /// <summary>
    /// The common front matter without YamlDotNet (issue 19, start-up: loading it and its compiled regex cost the mock quick
    /// start tens of milliseconds): only lines <c>key: value</c> at column 0, with a letter-first key of letters, digits,
    /// <c>_</c> and <c>-</c>, and a plain one-line value that starts with a letter or digit and holds nothing YAML reads
    /// differently (no <c>:</c>, <c>#</c>, quotes, brackets or indicators), blank lines, and <c>---</c> first or last.
    /// Such a document means the same to every YAML parser: each value is its text. Anything else returns <c>null</c> and
    /// goes to YamlDotNet, as do duplicate keys.
    /// </summary>
    internal static IReadOnlyDictionary<string, string>? FlatPairs(string yaml)
    {
        var lines = yaml.Split('\n');
        var first = 0;
        var last = lines.Length - 1;
        while (first <= last && lines[first].AsSpan().TrimEnd().IsEmpty)
        {
            first++;
        }
        while (last >= first && lines[last].AsSpan().TrimEnd().IsEmpty)
        {
            last--;
        }
        if (first <= last && lines[first].AsSpan().TrimEnd().SequenceEqual("---"))
        {
            first++;
        }
        if (last >= first && lines[last].AsSpan().TrimEnd().SequenceEqual("---"))
        {
            last--;
        }
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = first; i <= last; i++)
        {
            var line = lines[i].AsSpan().TrimEnd("\r ");
            if (line.IsEmpty)
            {
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || colon + 1 >= line.Length || line[colon + 1] != ' ' || !IsPlainKey(line[..colon]))
            {
                return null;
            }
            var value = line[(colon + 2)..].TrimStart(' ');
            if (!IsPlainValue(value) || !result.TryAdd(line[..colon].ToString(), value.ToString()))
            {
                return null;
            }
        }
        return result.Count == 0 ? null : result.AsReadOnly();
    }

    private static bool IsPlainKey(ReadOnlySpan<char> key)
    {
        if (!char.IsAsciiLetter(key[0]))
        {
            return false;
        }
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsPlainValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not (' ' or '.' or '_' or '-' or '/' or '+' or ','))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Replaces every character of <c>text[..length]</c> except line breaks with a space, so offsets and lines are kept.</summary>
    public static string Blank(string text, int length)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < length; i++)
        {
            if (chars[i] is not ('\n' or '\r'))
            {
                chars[i] = ' ';
            }
        }
        return new string(chars);
    }

    private static (int YamlEnd, int BlockEnd) HeadlessBlockEnd(string text)
    {
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var next = newline < 0 ? text.Length : newline + 1;
            var line = text.AsSpan(position, next - position).TrimEnd();
            if (line.SequenceEqual("---"))
            {
                return (position, next);
            }
            if (line.StartsWith("#"))
            {
                return (position, position);
            }
            position = next;
        }
        return (text.Length, text.Length);
    }

    private static void AddMapping(YamlMappingNode mapping, string prefix, Dictionary<string, string> result)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : keyNode.ToString();
            AddNode(prefix + key, valueNode, result);
        }
    }

    private static void AddNode(string key, YamlNode node, Dictionary<string, string> result)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                result.TryAdd(key, (scalar.Value ?? string.Empty).Trim());
                break;
            case YamlMappingNode mapping:
                AddMapping(mapping, key + ".", result);
                break;
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                result.TryAdd(key, string.Join(", ", sequence.Children.Select(c => ((YamlScalarNode)c).Value?.Trim())));
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    AddNode(string.Create(CultureInfo.InvariantCulture, $"{key}[{i}]"), sequence.Children[i], result);
                }
                break;
            default:
                break;
        }
    }

    [GeneratedRegex(@"\A(?:name|title|description)[ \t]*:(?:[ \t]|\r?\n)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeadlessFirstLine();
}
