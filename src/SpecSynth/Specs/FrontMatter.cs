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
    public static IReadOnlyDictionary<string, string> Flatten(string yaml)
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
