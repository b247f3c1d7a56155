namespace SpecSynth.Parsing;

/// <summary>A fenced block (or <c>&lt;file&gt;</c> element) found in the reply, with its header resolved.</summary>
/// <param name="OpenLine">0-based line of the opening fence or tag.</param>
/// <param name="CloseLine">0-based line of the closing fence or tag, or -1 when the reply ended inside.</param>
/// <param name="ContentStart">0-based first content line.</param>
/// <param name="ContentEnd">0-based line after the last content line.</param>
/// <param name="Indent">Spaces of indentation to remove from content lines (the opening fence's).</param>
/// <param name="Header">The path, language and marker lines.</param>
internal sealed record RawBlock(int OpenLine, int CloseLine, int ContentStart, int ContentEnd, int Indent, BlockHeader Header)
{
    /// <summary>Whether a closing fence or tag was found.</summary>
    public bool Closed => CloseLine >= 0;
}
