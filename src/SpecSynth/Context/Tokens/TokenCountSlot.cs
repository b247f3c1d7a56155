namespace SpecSynth.Context.Tokens;

/// <summary>
/// One remembered count in a <see cref="TokenCountTable"/>: its key (the counter, what was counted: a text or a list of
/// lines, and the text's 128-bit hash), its count(s), the day (since 1970) it was last used and its state in memory. A
/// struct held in one array sized once, so replacing an entry makes no garbage (a line list's counts are the one object).
/// </summary>
internal struct TokenCountSlot
{
    /// <summary>What <see cref="Kind"/> is for a text (one count, <see cref="Count"/>).</summary>
    public const byte TextKind = 0;

    /// <summary>What <see cref="Kind"/> is for a list of lines (one count per line, <see cref="Lines"/>).</summary>
    public const byte LinesKind = 1;

    /// <summary>A <see cref="Flags"/> bit: looked up since the clock hand last passed (it stays for another turn).</summary>
    public const byte Referenced = 1;

    /// <summary>A <see cref="Flags"/> bit: new or used on a later day in this process, not yet in this process's journal.</summary>
    public const byte Pending = 2;

    public ulong Counter;
    public ulong Lower;
    public ulong Upper;

    /// <summary>A list's count per line (null for a text).</summary>
    public int[]? Lines;

    /// <summary>A text's count.</summary>
    public int Count;

    public int Day;
    public byte Kind;
    public byte Flags;

    /// <summary>How many counts the file holds for it.</summary>
    public readonly int ValueCount => Lines?.Length ?? 1;

    /// <summary>Whether this slot's key is the given one.</summary>
    public readonly bool Is(ulong counter, byte kind, ulong lower, ulong upper) =>
        Lower == lower && Upper == upper && Counter == counter && Kind == kind;
}
