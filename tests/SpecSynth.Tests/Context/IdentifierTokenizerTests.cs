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
        foreach (var (token, _, compound) in sink.Tokens)
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

    private struct Recorder(string[] typeKeywords) : ITokenSink
    {
        public List<(string Text, ulong Hash)> Words { get; } = [];

        public List<(string Text, int Words, ulong Compound)> Tokens { get; } = [];

        public readonly void Word(ulong hash, ReadOnlySpan<byte> text, int from, int to) =>
            Words.Add((Encoding.ASCII.GetString(text[from..to]).ToLowerInvariant(), hash));

        public readonly bool Token(ReadOnlySpan<byte> text, int start, int end, int words, int letters, int lastWordLength, ulong compound)
        {
            var token = Encoding.ASCII.GetString(text[start..end]);
            Assert.Equal(token.Count(c => c is not ('_' or '$')), letters);
            Tokens.Add((token, words, compound));
            return typeKeywords.Contains(token);
        }
    }
}
