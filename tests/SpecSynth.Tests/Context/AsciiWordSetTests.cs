using System.Text;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary>The keyword sets of the declaration check: the same answers as an ordinal string set, by bytes and by chars.</summary>
public sealed class AsciiWordSetTests
{
    private static readonly string[] Words = ["fn", "def", "func", "class", "struct", "function", "interface", "namespace", "prototype"];

    [Theory]
    [InlineData("fn", true)]
    [InlineData("def", true)]
    [InlineData("function", true)]
    [InlineData("namespace", true)]
    [InlineData("prototype", true)]
    [InlineData("", false)]
    [InlineData("f", false)]
    [InlineData("fun", false)]
    [InlineData("Func", false)]
    [InlineData("FUNC", false)]
    [InlineData("functions", false)]
    [InlineData("funcx", false)]
    [InlineData("dEf", false)]
    [InlineData("structs", false)]
    [InlineData("interfaces", false)]
    [InlineData("a_very_long_identifier_name", false)]
    public void AnswersAsAnOrdinalStringSet(string word, bool member)
    {
        var set = new AsciiWordSet(Words);
        var reference = new HashSet<string>(Words, StringComparer.Ordinal);

        Assert.Equal(member, reference.Contains(word));
        Assert.Equal(member, set.Contains(Encoding.ASCII.GetBytes(word)));
        Assert.Equal(member, set.Contains(word.AsSpan()));
    }

    [Fact]
    public void EveryPrefixAndOneByteChangeOfEachWordAgreesWithTheStringSet()
    {
        var set = new AsciiWordSet(Words);
        var reference = new HashSet<string>(Words, StringComparer.Ordinal);
        var checkedWords = 0;
        foreach (var word in Words)
        {
            for (var length = 0; length <= word.Length + 1; length++)
            {
                var candidate = (word + "s")[..length];
                Assert.Equal(reference.Contains(candidate), set.Contains(Encoding.ASCII.GetBytes(candidate)));
                checkedWords++;
            }
            for (var at = 0; at < word.Length; at++)
            {
                var bytes = Encoding.ASCII.GetBytes(word);
                bytes[at] ^= 0x20; // the other case, or another symbol
                Assert.False(set.Contains(bytes));
                bytes[at] = 0xC3; // a non-ASCII byte never matches
                Assert.False(set.Contains(bytes));
                checkedWords += 2;
            }
        }
        Assert.True(checkedWords > 100);
    }

    [Fact]
    public void RejectsWordsThatAreNotAscii()
    {
        Assert.Throws<ArgumentException>(() => new AsciiWordSet("caf\u00e9"));
        Assert.Throws<ArgumentException>(() => new AsciiWordSet(""));
    }
}
