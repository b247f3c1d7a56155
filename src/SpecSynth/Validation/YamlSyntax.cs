using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace SpecSynth.Validation;

/// <summary>
/// YAML syntax through YamlDotNet: every document is loaded, so duplicate keys and unknown aliases count. When
/// the scanner fails without a position (it throws <see cref="InvalidOperationException"/> on some broken flow
/// collections), the end of the last event read is reported.
/// </summary>
internal static class YamlSyntax
{
    public const string Name = "yamldotnet";

    public static SyntaxCheck Check(string path, string content)
    {
        var parser = new TrackingParser(new Parser(new StringReader(content)));
        try
        {
            new YamlStream().Load(parser);
            return new SyntaxCheck(Name, []);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is YamlException inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            return SyntaxCheck.One(Name, path, (int)ex.Start.Line, (int)ex.Start.Column, message);
        }
        catch (InvalidOperationException)
        {
            return SyntaxCheck.One(Name, path, (int)parser.Last.Line, (int)parser.Last.Column,
                "the YAML is malformed after this point (the parser could not read on)");
        }
    }

    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark Last { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                Last = current.End;
            }
            return moved;
        }
    }
}
