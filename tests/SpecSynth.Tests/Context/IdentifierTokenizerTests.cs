using System.Text;
using SpecSynth.Context.Index;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary>The one token pass the ranker and the context index share: its words are <see cref="AsciiText.WordEnd"/>'s,
/// its hashes are the index's (so the records it writes keep their bytes), its type names are found once.</summary>
public sealed class IdentifierTokenizerTests
{
    private const string Source = """
        class HTTPServer extends EventEmitter {}  // http2Session max_header_size $jq __proto__ a_b
        const maxHeaderSize = 16384, parsersCache = new FreeList('parsers', 1000, parsersAlloc);
        struct uv_loop_s; struct node_file_Stat_s { int x; }; 9lives XMLHttpRequest getURLParams
        """;

    [Fact]
    public void WordsAreTheWordEndRulesAndHashesAreTheIndexs()
    {
        var text = Encoding.UTF8.GetBytes(Source);
        var sink = new Recorder([]);
        var types = new List<ulong>();
        var words = IdentifierTokenizer.Scan(text, ref sink, types);

        // The reference: tokens by AsciiTokens (not starting with a digit), words by WordEnd, joiners skipped.
        var expectedWords = new List<string>();
        var expectedTokens = new List<string>();
        var total = 0;
        foreach (var (start, end) in new AsciiTokens(text))
        {
            var token = text.AsSpan(start, end - start);
            if (AsciiText.ClassOf(token[0]) == AsciiText.Digit)
            {
                continue;
            }
            var count = 0;
            for (var w = 0; w < token.Length;)
            {
                if (AsciiText.ClassOf(token[w]) == AsciiText.Joiner)
                {
                    w++;
                    continue;
                }
                var wordEnd = AsciiText.WordEnd(token, w);
                count++;
                if (wordEnd - w >= 2)
                {
                    expectedWords.Add(Encoding.ASCII.GetString(token[w..wordEnd]).ToLowerInvariant());
                }
                w = wordEnd;
            }
            total += count;
            expectedTokens.Add(Encoding.ASCII.GetString(token) + "/" + count);
        }
        Assert.Equal(expectedWords, sink.Words.Select(w => w.Text));
        Assert.Equal(expectedTokens, sink.Tokens.Select(t => t.Text + "/" + t.Words));
        Assert.Equal(total, words);
        Assert.Contains("maxHeaderSize/3", expectedTokens); // the reference itself splits
        Assert.Contains("xml", expectedWords);

        foreach (var (word, hash) in sink.Words)
        {
            Assert.Equal(IndexHash.Term(word), IndexHash.Finish(hash));
            Assert.Equal(AsciiText.Hash(Encoding.ASCII.GetBytes(word)), hash);
        }
        foreach (var (token, _, compound, _) in sink.Tokens)
        {
            var letters = new string([.. token.Where(c => c is not ('_' or '$')).Select(char.ToLowerInvariant)]);
            Assert.Equal(IndexHash.Term(letters), IndexHash.Finish(compound));
        }
    }

    [Fact]
    public void TypeNamesFollowATypeKeywordOnly()
    {
        var text = Encoding.UTF8.GetBytes(Source);
        var sink = new Recorder(["class", "struct"]);
        var types = new List<ulong>();
        IdentifierTokenizer.Scan(text, ref sink, types);

        // HTTPServer (capitalised) and node_file_Stat_s (an underscore); not uv_loop_s (a forward declaration).
        Assert.Equal([ContentScanner.TypeHash("HTTPServer"u8), ContentScanner.TypeHash("node_file_Stat_s"u8)], types);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void KeyedScanFindsWhatTheByteScanFinds(int seed)
    {
        // Random texts over the bytes that matter (cases, digits, joiners, blanks, punctuation, non-ASCII), of lengths
        // around the 64-byte blocks, and the fixed source: the same words, tokens, counts and type names.
        var random = new Random(seed);
        const string alphabet = "aAbBzZqQ09_$ \n.(;é";
        var texts = new List<byte[]> { Encoding.UTF8.GetBytes(Source) };
        for (var n = 0; n < 400; n++)
        {
            var length = n < 200 ? n : random.Next(0, 700);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }
            texts.Add(Encoding.UTF8.GetBytes(new string(chars)));
        }
        var masks = new TokenMasks();
        var all = Enumerable.Repeat(ulong.MaxValue, 1024).ToArray();
        // A few pairs, and the joiner pairs TermTable adds: "aa", "ab", "zq", "09".
        var some = new TermTable(["aab", "abzz", "zq", "09x"], [null, null, null, null], []).Pairs.ToArray();
        foreach (var text in texts)
        {
            var bytes = new Recorder(["class", "struct", "aa"]);
            var byteTypes = new List<ulong>();
            var byteWords = IdentifierTokenizer.Scan(text, ref bytes, byteTypes);
            var keyed = new Recorder(["class", "struct", "aa"]);
            var keyedTypes = new List<ulong>();
            var keyedWords = IdentifierTokenizer.ScanKeyed(text, masks, all, ref keyed, keyedTypes);

            // Every pair wanted: the same words and types, every token of two letters or more (a one-letter token is
            // reported when a byte follows it: its pair), no token without a word.
            Assert.Equal(byteWords, keyedWords);
            Assert.Equal(bytes.Words.Select(w => w.Text), keyed.Words.Select(w => w.Text));
            Assert.Equal(bytes.Tokens.Where(t => t.Words > 0 && Letters(t.Text) >= 2).Select(t => (t.Text, t.Words, t.Start)),
                keyed.Tokens.Where(t => Letters(t.Text) >= 2).Select(t => (t.Text, t.Words, t.Start)));
            Assert.Subset(bytes.Tokens.Where(t => t.Words > 0).Select(t => (t.Text, t.Words, t.Start)).ToHashSet(),
                keyed.Tokens.Select(t => (t.Text, t.Words, t.Start)).ToHashSet());
            Assert.Equal(byteTypes, keyedTypes);
            foreach (var (word, key) in keyed.Words)
            {
                Assert.Equal(AsciiText.WordKey(Encoding.ASCII.GetBytes(word)), key);
            }
            foreach (var (token, count, compound, _) in keyed.Tokens)
            {
                var letters = new string([.. token.Where(c => c is not ('_' or '$')).Select(char.ToLowerInvariant)]);
                Assert.Equal(count > 1 ? AsciiText.WordKey(Encoding.ASCII.GetBytes(letters)) : 0, compound);
            }

            // Some pairs: the same word count; only the words that start with one; every token holding such a word or
            // whose compound starts with one, in order (the types of the type keywords among them).
            var filtered = new Recorder(["class", "struct", "aa"]);
            var filteredWords = IdentifierTokenizer.ScanKeyed(text, masks, some, ref filtered, []);
            Assert.Equal(byteWords, filteredWords);
            Assert.Equal(keyed.Words.Select(w => w.Text).Where(w => Wanted(some, w)), filtered.Words.Select(w => w.Text));
            var reported = filtered.Tokens.Select(t => t.Start).ToList();
            Assert.Equal(reported.Order(), reported);
            Assert.Subset(keyed.Tokens.ToHashSet(), filtered.Tokens.ToHashSet());
            foreach (var token in keyed.Tokens)
            {
                var letters = new string([.. token.Text.Where(c => c is not ('_' or '$')).Select(char.ToLowerInvariant)]);
                if (Wanted(some, letters)) // a one-word token's letters are its word
                {
                    Assert.Contains(token.Start, reported);
                }
            }
        }
    }

    private static int Letters(string token) => token.Count(c => c is not ('_' or '$'));

    private static bool Wanted(ulong[] pairs, string word)
    {
        if (word.Length < 2)
        {
            return false;
        }
        var pair = word[0] | (word[1] << 8) | 0x2020;
        return ((pairs[pair >> 6] >> pair) & 1) != 0;
    }

    [Fact]
    public void WordKeysAgreeHoweverTheyAreTaken()
    {
        // A word's key from the text (any case, anywhere, near the end), from its lower-case bytes, and built a byte at a time.
        var text = Encoding.ASCII.GetBytes("xx MaxHeaderSizeOfTheParserQQ1 yy");
        for (var length = 1; length <= 27; length++)
        {
            var lower = Encoding.ASCII.GetBytes("MaxHeaderSizeOfTheParserQQ1"[..length].ToLowerInvariant());
            var builder = new AsciiText.KeyBuilder();
            foreach (var b in lower)
            {
                builder.Add(b);
            }
            Assert.Equal(AsciiText.WordKey(lower), AsciiText.WordKey(text, 3, length));
            Assert.Equal(AsciiText.WordKey(lower), AsciiText.WordKey(text.AsSpan(0, 3 + length), 3, length));
            Assert.Equal(AsciiText.WordKey(lower), builder.Finish());
        }
        Assert.NotEqual(AsciiText.WordKey("ab"u8), AsciiText.WordKey("abc"u8));
        Assert.NotEqual(AsciiText.WordKey("parser"u8), AsciiText.WordKey("parses"u8));
    }

    private struct Recorder(string[] typeKeywords) : ITokenSink
    {
        public List<(string Text, ulong Hash)> Words { get; } = [];

        public List<(string Text, int Words, ulong Compound, int Start)> Tokens { get; } = [];

        public readonly void Word(ulong hash, ReadOnlySpan<byte> text, int from, int to) =>
            Words.Add((Encoding.ASCII.GetString(text[from..to]).ToLowerInvariant(), hash));

        public readonly bool Token(ReadOnlySpan<byte> text, int start, int end, int words, int letters, int lastWordLength, ulong compound)
        {
            var token = Encoding.ASCII.GetString(text[start..end]);
            Assert.Equal(token.Count(c => c is not ('_' or '$')), letters);
            Tokens.Add((token, words, compound, start));
            return typeKeywords.Contains(token);
        }
    }
}
