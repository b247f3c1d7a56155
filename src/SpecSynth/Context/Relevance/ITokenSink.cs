namespace SpecSynth.Context.Relevance;

/// <summary>
/// What <see cref="IdentifierTokenizer"/> reports while it walks a file's identifier tokens: each word of two letters or
/// more, then the token as a whole. Implemented by structs so the tokenizer's loop is specialised (and inlined) for
/// each consumer: the ranker's <see cref="ContentScanner"/> and the context index's record scanner.
/// </summary>
internal interface ITokenSink
{
    /// <summary>A word <c>text[from..to)</c> of two letters or more of the current token.</summary>
    /// <param name="hash">The word's letters lower-cased, hashed with <see cref="AsciiText.Hash(ulong, byte)"/> from
    /// <see cref="AsciiText.HashSeed"/> (<see cref="IdentifierTokenizer.Scan{TSink}"/>) or by
    /// <see cref="AsciiText.WordKey(ReadOnlySpan{byte}, int, int)"/> (<see cref="IdentifierTokenizer.ScanKeyed{TSink}"/>).</param>
    /// <param name="text">The file's bytes.</param>
    /// <param name="from">Where the word starts.</param>
    /// <param name="to">Where it ends (exclusive).</param>
    void Word(ulong hash, ReadOnlySpan<byte> text, int from, int to);

    /// <summary>The identifier token <c>text[start..end)</c> (it does not start with a digit) after its words.</summary>
    /// <param name="text">The file's bytes.</param>
    /// <param name="start">Where the token starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="words">Its number of words (of any length).</param>
    /// <param name="letters">Its number of bytes that are not joiners (<c>_</c>, <c>$</c>).</param>
    /// <param name="lastWordLength">The length of its last word (0 when it has none).</param>
    /// <param name="compound">All its letters lower-cased, joiners left out, hashed as a word is (by
    /// <see cref="IdentifierTokenizer.ScanKeyed{TSink}"/> only when the token has several words; 0 otherwise).</param>
    /// <returns>Whether the token is a keyword that declares a type (the next token on the line may be its name).</returns>
    bool Token(ReadOnlySpan<byte> text, int start, int end, int words, int letters, int lastWordLength, ulong compound);
}
