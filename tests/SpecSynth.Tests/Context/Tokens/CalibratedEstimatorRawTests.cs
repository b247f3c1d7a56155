using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The estimator's counts, taken a vector of characters at a time, are those of one character at a time: the same
/// ASCII, symbol and other counts (a surrogate pair once, a lone low surrogate not at all), so the same estimate, for texts of
/// every length around the vector widths and of every kind of character.</summary>
public sealed class CalibratedEstimatorRawTests
{
    private const string Alphabet = "{}()[];=<>.,:\"_\t abcXYZ019\n\\/|'`~!@#$%^&*-+?Zz\u007f\u0080\u00e9\u4e2d\ufffd\uffff\ud83d\ude00\ud800\udc00\udbff\udfff\u005b\u005d\u007b\u007d\u003a\u003e\u0028\u0029\u0027\u0039\u0040\u0060";

    [Fact]
    public void RandomTexts_CountAsOneCharacterAtATimeDoes()
    {
        var random = new Random(19);
        for (var n = 0; n < 3000; n++)
        {
            var length = n < 200 ? n : random.Next(0, 5000);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : Alphabet[random.Next(Alphabet.Length)];
            }
            var text = new string(chars);

            Assert.Equal(Reference(text), CalibratedEstimator.Raw(text));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("public static int Main(string[] args) { return args.Length > 0 ? 1 : 0; }")]
    [InlineData("The function takes a list of orders and returns the total per customer. The function takes a list.")]
    public void CodeAndProse_KeepTheirRatio(string text)
    {
        var repeated = string.Concat(Enumerable.Repeat(text, 300));

        Assert.Equal(Reference(text), CalibratedEstimator.Raw(text));
        Assert.Equal(Reference(repeated), CalibratedEstimator.Raw(repeated));
    }

    /// <summary>The estimate one character at a time, as it was first written.</summary>
    private static double Reference(string text)
    {
        var ascii = 0;
        var other = 0;
        var symbols = 0;
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii++;
                if ("{}();=<>[].,:\"_\t".Contains(c, StringComparison.Ordinal))
                {
                    symbols++;
                }
            }
            else if (!char.IsLowSurrogate(c))
            {
                other++;
            }
        }
        var ratio = ascii > 0 && symbols * 12 >= ascii ? CalibratedEstimator.CodeCharsPerToken : CalibratedEstimator.ProseCharsPerToken;
        return (ascii / ratio) + other;
    }
}
