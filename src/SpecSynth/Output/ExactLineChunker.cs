using DiffPlex;

namespace SpecSynth.Output;

/// <summary>Splits a text into lines that each keep their <c>\n</c> (and any <c>\r</c> before it), so DiffPlex compares
/// lines exactly: a last line without <c>\n</c> differs from the same text with one, as in <c>diff</c>.</summary>
internal sealed class ExactLineChunker : IChunker
{
    public static ExactLineChunker Instance { get; } = new();

    public IReadOnlyList<string> Chunk(string str)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < str.Length)
        {
            var end = str.IndexOf('\n', start);
            end = end < 0 ? str.Length : end + 1;
            lines.Add(str[start..end]);
            start = end;
        }
        return lines;
    }
}
