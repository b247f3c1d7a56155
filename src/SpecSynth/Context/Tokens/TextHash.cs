namespace SpecSynth.Context.Tokens;

/// <summary>A 128-bit <see cref="TokenTextHash"/> as two halves (a <see cref="UInt128"/> would keep every method that
/// handles one out of the ReadyToRun image: JIT-compiled on every run).</summary>
/// <param name="Upper">The upper 64 bits.</param>
/// <param name="Lower">The lower 64 bits (stored first: the file keeps the 128-bit value little-endian).</param>
internal readonly record struct TextHash(ulong Upper, ulong Lower);
