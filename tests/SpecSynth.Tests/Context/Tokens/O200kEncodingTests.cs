using System.Text;
using Microsoft.ML.Tokenizers;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>
/// <see cref="O200kEncoding"/> must count exactly what Microsoft.ML.Tokenizers' o200k_base tokenizer counts: compared
/// here over the real specs, the repository's own files (and, with <c>SPECSYNTH_O200K_CORPUS=DIR</c>, every file under
/// DIR, e.g. the Node.js tree), thousands of random texts of every character class, and long pieces (the heap merge).
/// </summary>
public sealed class O200kEncodingTests
{
    private static readonly TiktokenTokenizer Library = TiktokenTokenizer.CreateForEncoding("o200k_base");

    private static O200kEncoding Ours => TiktokenEncodings.O200kBase;

    [Fact]
    public void LoadsEveryRank_AndTheLibrarysOwnRegex()
    {
        Assert.Equal(199_998, Ours.TokenCount);
        // The tables are made at these sizes up front (no large-object garbage while loading); a data package with other
        // sizes still loads (grown or cut), only less thriftily: update the constants with it.
        Assert.Equal(O200kEncoding.ExpectedTokens, Ours.TokenCount);
        Assert.Equal(O200kEncoding.ExpectedTokenBytes, Ours.TokenBytes);
        Assert.True(Ours.UsesLibraryRegex, "the library's generated o200k regex was not found: a package update renamed it");
        Assert.Equal(O200kEncoding.Pattern, Ours.Regex.ToString());
        Assert.Equal(0, Ours.RankOf("!"u8));
        Assert.Equal(-1, Ours.RankOf("not one token at all, surely"u8));
        // Ranks agree with the library's ids for tokens it encodes as one.
        foreach (var word in new[] { "hello", " world", "public", " class", "\n\n", "    ", "的" })
        {
            var ids = Library.EncodeToIds(word);
            Assert.Single(ids);
            Assert.Equal(ids[0], Ours.RankOf(Encoding.UTF8.GetBytes(word)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("<|endoftext|> is a special marker")]
    [InlineData("a<|endofprompt|>b<|endoftext|><|endoftext|>c <|endof|> <|endoftex")]
    [InlineData("it's THEY'RE we'VE I'm you'll he'd 'S")]
    [InlineData("\uFFFD \uFFFD\uFFFD x\uFFFDy")]
    [InlineData("lone \uD800 high, lone \uDC00 low, pair \uD83D\uDE80, reversed \uDE80\uD83D")]
    [InlineData("1234567 12 1 3.14159 ١٢٣٤ ⅻ")]
    [InlineData("  \t\r\n\r\n   \n \u00A0\u2003x  ")]
    public void Samples_CountAsTheLibraryCounts(string text) =>
        // A fresh tokenizer: the library remembers its special tokens in a bounded cache that other texts can evict.
        Assert.Equal(TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text), Ours.Count(text));

    [Fact]
    public void RealSpecs_CountAsTheLibraryCounts()
    {
        var files = Directory.GetFiles(TestPaths.RealSpecs, "*.md");
        Assert.True(files.Length >= 20, "real specs not found under " + TestPaths.RealSpecs);
        AssertSameCounts(files);
    }

    [Fact]
    public void RepositoryFiles_CountAsTheLibraryCounts()
    {
        var root = Environment.GetEnvironmentVariable("SPECSYNTH_O200K_CORPUS") is { Length: > 0 } corpus ? corpus : TestPaths.RepoRoot;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
                && !f.Contains("/.git/", StringComparison.Ordinal) && new FileInfo(f).Length is > 0 and < 512 * 1024)
            .ToList();
        Assert.True(files.Count >= 300, $"only {files.Count} files under {root}");
        AssertSameCounts(files);
    }

    [Fact]
    public void RandomTexts_CountAsTheLibraryCounts()
    {
        var random = new Random(19);
        for (var i = 0; i < 4_000; i++)
        {
            var text = RandomText(random, random.Next(1, i % 10 == 0 ? 3_000 : 200));
            Assert.True(Library.CountTokens(text) == Ours.Count(text), "differs on " + Escape(text));
        }
    }

    [Fact]
    public void AsciiSplit_GivesTheRegexsPieces()
    {
        var random = new Random(23);
        const string Alphabet = "aAbZzs'tTrReEvVlLmMdD0123456789  \t\r\n\v\f/.,;:!?(){}[]<>=+-*_#\"`~|\\@$%^&\u0001\u007F";
        var decided = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(1, i % 20 == 0 ? 400 : 40)];
            for (var c = 0; c < chars.Length; c++)
            {
                // Mostly ASCII of every class; now and then a non-ASCII letter, digit, space or symbol next to them.
                chars[c] = random.Next(40) == 0 ? "é\u00A0\u2003١ſ\u212A中\u0301—"[random.Next(9)] : Alphabet[random.Next(Alphabet.Length)];
            }
            var text = new string(chars);
            var expected = Ours.Regex.Matches(text).Select(m => (m.Index, m.Length)).ToList();
            var at = 0;
            foreach (var (index, length) in expected)
            {
                Assert.True(index == at, "the regex left a gap in " + Escape(text));
                var hand = O200kAsciiSplit.PieceLength(text, at);
                Assert.True(hand == 0 || hand == length, $"piece at {at}: {hand} instead of {length} in " + Escape(text));
                Assert.True(hand > 0 || !System.Text.Ascii.IsValid(text.AsSpan(at, Math.Min(text.Length - at, length + 3))),
                    $"piece at {at} of ASCII left to the regex in " + Escape(text));
                decided += hand > 0 ? 1 : 0;
                at += length;
            }
            Assert.Equal(text.Length, at);
            Assert.True(Library.CountTokens(text) == Ours.Count(text), "differs on " + Escape(text));
        }
        Assert.True(decided > 100_000, $"only {decided} pieces decided by hand");
    }

    [Fact]
    public void LongPieces_CountAsTheLibraryCounts()
    {
        var random = new Random(7);
        List<string> texts =
        [
            new string('a', 300), new string(' ', 5_000), new string('=', 1_000) + "\n", new string('9', 700),
            string.Concat(Enumerable.Repeat("\uD83D\uDE80", 200)), string.Concat(Enumerable.Repeat("中文字符", 100)),
            "x" + new string('\t', 400) + "y", string.Concat(Enumerable.Repeat("ab", 2_000)),
        ];
        for (var i = 0; i < 300; i++)
        {
            // One long word, punctuation run or base64-like blob: pieces well past the 128-byte scan.
            var length = random.Next(100, 2_000);
            var alphabet = (i % 4) switch
            {
                0 => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                1 => "!@#$%^&*()-=+[]{};:,.<>?/|~`",
                2 => "abcdefghijklmnopqrstuvwxyzéèêàçßøåæœ",
                _ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            };
            texts.Add(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }
        foreach (var text in texts)
        {
            Assert.True(Library.CountTokens(text) == Ours.Count(text), "differs on " + Escape(text));
        }
    }

    [Fact]
    public void TheCounterGoesThroughIt()
    {
        const string text = "public sealed class Foo { public int Bar(int x) => x * 2; } // 中文 🎉";
        Assert.Equal(Ours.Count(text), TiktokenCounter.ForEncoding("o200k_base").CountFresh(text));
        Assert.Equal(Library.CountTokens(text), TiktokenCounter.ForEncoding("o200k_base").CountFresh(text));
        Assert.True(TiktokenEncodings.IsLoaded("o200k_base"));
    }

    [Theory]
    [InlineData(true, 7, 2, 3)] // lines cut across tiny chunks; tables grown past their first sizes and rehashed
    [InlineData(true, 64 * 1024, 5_000, 100_000)] // tables made larger than the data: cut to it
    [InlineData(false, 5, 300, 1_000)] // bare base64 lines, ranked by line number (an empty line takes a rank)
    [InlineData(false, 64 * 1024, 0, 0)]
    public void Ranks_ReadAChunkAtATime_InEitherForm(bool withRanks, int chunkSize, int expectedTokens, int expectedTokenBytes)
    {
        var random = new Random(19);
        var tokens = new List<byte[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (tokens.Count < 700)
        {
            var token = new byte[random.Next(1, 40)];
            random.NextBytes(token);
            if (seen.Add(Convert.ToBase64String(token)))
            {
                tokens.Add(token);
            }
        }
        var text = new StringBuilder("Capacity: 700\r\n");
        var rankOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var line = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var encoded = Convert.ToBase64String(tokens[i]);
            if (withRanks)
            {
                var rank = 1_000 + (i * 3);
                text.Append(encoded).Append(' ').Append(rank).Append(i % 2 == 0 ? "\r\n" : "\n");
                rankOf[encoded] = rank;
                if (i % 50 == 7)
                {
                    // A repeated token: its last rank wins (the library's dictionary).
                    var again = Convert.ToBase64String(tokens[i - 5]);
                    text.Append(again).Append(' ').Append(rank + 1).Append('\n');
                    rankOf[again] = rank + 1;
                }
            }
            else
            {
                if (i % 100 == 9)
                {
                    text.Append('\n');
                    line++;
                }
                text.Append(encoded).Append('\n');
                rankOf[encoded] = line++;
            }
        }
        text.Length -= 1; // the last line without its line break
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(text.ToString()));
        var parsed = O200kEncoding.Parse(stream, Ours.Regex, libraryRegex: true, chunkSize, expectedTokens, expectedTokenBytes);
        Assert.Equal(tokens.Count, parsed.TokenCount);
        Assert.Equal(tokens.Sum(t => t.Length), parsed.TokenBytes);
        foreach (var (encoded, rank) in rankOf)
        {
            Assert.Equal(rank, parsed.RankOf(Convert.FromBase64String(encoded)));
        }
        Assert.Equal(-1, parsed.RankOf("not one of them"u8));
    }

    [Fact]
    public void Ranks_BadLines_AreRefused()
    {
        using var badRank = new MemoryStream("YQ== 1\nYg== x\n"u8.ToArray());
        Assert.Throws<FormatException>(() => O200kEncoding.Parse(badRank, Ours.Regex, libraryRegex: true));
        using var badBase64 = new MemoryStream("YQ== 1\n*** 2\n"u8.ToArray());
        Assert.Throws<FormatException>(() => O200kEncoding.Parse(badBase64, Ours.Regex, libraryRegex: true));
    }

    private static void AssertSameCounts(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            // A text with a special token needs a fresh tokenizer: the library remembers its special tokens in a bounded
            // cache that the other files' pieces evict (then it counts "<|endoftext|>" as 7 tokens; O200kEncoding as 1).
            var library = text.Contains("<|endof", StringComparison.Ordinal) ? TiktokenTokenizer.CreateForEncoding("o200k_base") : Library;
            Assert.True(library.CountTokens(text) == Ours.Count(text), "differs on " + file);
        }
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            switch (random.Next(16))
            {
                case 0: text.Append(' ', random.Next(1, 6)); break;
                case 1: text.Append("\r\n\t\n \u00A0\u3000\v\f"[random.Next(9)]); break;
                case 2: text.Append((char)random.Next('0', '9' + 1)); break;
                case 3: text.Append("'s 't 're 've 'm 'll 'd 'S 'LL"[random.Next(28)]); break;
                case 4: text.Append("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"[random.Next(31)]); break;
                case 5: text.Append((char)random.Next(0xC0, 0x250)); break; // Latin-1 and Latin Extended
                case 6: text.Append((char)random.Next(0x400, 0x500)); break; // Cyrillic
                case 7: text.Append((char)random.Next(0x4E00, 0x4F00)); break; // CJK
                case 8: text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))); break; // emoji (surrogate pairs)
                case 9: text.Append((char)random.Next(0x300, 0x370)); break; // combining marks
                case 10: text.Append((char)random.Next(0xD800, 0xE000)); break; // lone surrogates
                case 11: text.Append(random.Next(3) switch { 0 => "<|endof", 1 => "\uFFFD", _ => "<|" }); break;
                case 12: text.Append((char)random.Next(0x660, 0x66A)); break; // Arabic-Indic digits
                case 13: text.Append((char)random.Next(0x2000, 0x2100)); break; // spaces, punctuation, letterlike
                default: text.Append((char)random.Next('a', 'z' + 1)); if (random.Next(4) == 0) { text.Append((char)random.Next('A', 'Z' + 1)); } break;
            }
        }
        return text.ToString();
    }

    private static string Escape(string text) =>
        string.Concat(text.Take(300).Select(c => c is >= ' ' and < (char)0x7F ? c.ToString() : $"\\u{(int)c:X4}"));
}
