using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// A small fixed set of ASCII words, looked up by a span of bytes or chars (ordinal, case kept) without converting or
/// allocating: the words are kept as bytes in buckets by length, and a lookup compares only the words of its length.
/// For the dozen-word keyword sets <see cref="DefinitionDetector"/> asks about every identifier of a file.
/// </summary>
internal sealed class AsciiWordSet
{
    private readonly byte[][][] _byLength;

    /// <summary>Creates the set of <paramref name="words"/> (ASCII, not empty).</summary>
    public AsciiWordSet(params string[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var longest = 0;
        foreach (var word in words)
        {
            if (word.Length == 0 || !System.Text.Ascii.IsValid(word))
            {
                throw new ArgumentException("Words must be ASCII and not empty.", nameof(words));
            }
            longest = Math.Max(longest, word.Length);
        }
        _byLength = new byte[longest + 1][][];
        for (var length = 0; length <= longest; length++)
        {
            _byLength[length] = [.. words.Where(w => w.Length == length).Distinct(StringComparer.Ordinal)
                .Select(System.Text.Encoding.ASCII.GetBytes)];
        }
    }

    /// <summary>Whether <paramref name="word"/>'s bytes are one of the words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ReadOnlySpan<byte> word)
    {
        if ((uint)word.Length >= (uint)_byLength.Length)
        {
            return false;
        }
        foreach (var candidate in _byLength[word.Length])
        {
            if (candidate[0] == word[0] && word.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="word"/> is one of the words.</summary>
    public bool Contains(ReadOnlySpan<char> word)
    {
        if ((uint)word.Length >= (uint)_byLength.Length)
        {
            return false;
        }
        foreach (var candidate in _byLength[word.Length])
        {
            var equal = true;
            for (var i = 0; i < candidate.Length && equal; i++)
            {
                equal = word[i] == candidate[i];
            }
            if (equal)
            {
                return true;
            }
        }
        return false;
    }
}
