using System.Text;
using System.Text.Json;
using System.Xml;
using Tomlyn.Parsing;

namespace SpecSynth.Validation;

/// <summary>
/// Syntax checks for data formats: JSON (strict; comments and trailing commas allowed only in <c>.jsonc</c>,
/// <c>tsconfig*.json</c> and <c>jsconfig*.json</c>), XML (well-formedness; DTDs are ignored, never processed or
/// fetched) and TOML (parsed and validated).
/// </summary>
internal static class DataSyntax
{
    public static SyntaxCheck Json(string path, string content)
    {
        var options = new JsonDocumentOptions
        {
            CommentHandling = AllowsComments(path) ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            AllowTrailingCommas = AllowsComments(path),
            MaxDepth = 256,
        };
        try
        {
            using var document = JsonDocument.Parse(content, options);
            return new SyntaxCheck("json", []);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var column = CharColumn(content, line, (int)(ex.BytePositionInLine ?? 0));
            return SyntaxCheck.One("json", path, line + 1, column + 1, FirstSentence(ex.Message));
        }
    }

    public static SyntaxCheck Xml(string path, string content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, CloseInput = true };
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), settings);
            while (reader.Read())
            {
            }
            return new SyntaxCheck("xml", []);
        }
        catch (XmlException ex)
        {
            return SyntaxCheck.One("xml", path, ex.LineNumber, ex.LinePosition, ex.Message);
        }
    }

    public static SyntaxCheck Toml(string path, string content, int max)
    {
        var document = SyntaxParser.Parse(content, path, validate: true);
        var diagnostics = new List<Diagnostic>();
        for (var i = 0; i < document.Diagnostics.Count && diagnostics.Count < max; i++)
        {
            var d = document.Diagnostics[i];
            if (d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
            {
                diagnostics.Add(new Diagnostic(path, d.Span.Start.Line + 1, d.Span.Start.Column + 1, d.Message, Diagnostic.Error));
            }
        }
        return new SyntaxCheck("tomlyn", diagnostics);
    }

    /// <summary>Whether the JSON dialect of this file allows comments and trailing commas.</summary>
    internal static bool AllowsComments(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".jsonc", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("tsconfig", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("jsconfig", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Turns System.Text.Json's byte offset in a 0-based line into a 0-based character column.</summary>
    private static int CharColumn(string content, int line, int bytes)
    {
        var start = 0;
        for (var i = 0; i < line && start >= 0; i++)
        {
            start = content.IndexOf('\n', start) is var nl && nl < 0 ? -1 : nl + 1;
        }
        if (start < 0)
        {
            return bytes;
        }
        var end = content.IndexOf('\n', start);
        var text = end < 0 ? content[start..] : content[start..end];
        var encoded = Encoding.UTF8.GetBytes(text);
        return Encoding.UTF8.GetCharCount(encoded, 0, Math.Min(bytes, encoded.Length));
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
