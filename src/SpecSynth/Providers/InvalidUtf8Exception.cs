namespace SpecSynth.Providers;

/// <summary>A provider's response body held bytes that are not UTF-8: a transport fault (like a cut stream), never text.</summary>
/// <param name="offset">Where in the body the invalid sequence starts (bytes from the start).</param>
internal sealed class InvalidUtf8Exception(long offset)
    : IOException($"the response is not valid UTF-8 (invalid bytes at offset {offset}); it was discarded")
{
    /// <summary>Bytes from the start of the body to the invalid sequence.</summary>
    public long Offset { get; } = offset;
}
