namespace SpecSynth.Specs;

/// <summary>The 128-bit key of a <see cref="SpecMemo"/>: the parser's identity, the spec's path and its text. Two words rather
/// than a <see cref="UInt128"/>, which ReadyToRun leaves to the JIT.</summary>
/// <param name="Upper">The key's upper 64 bits.</param>
/// <param name="Lower">The key's lower 64 bits.</param>
internal readonly record struct SpecMemoKey(ulong Upper, ulong Lower);
