using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary>The scanner's lookup tables agree with the rules they speed up.</summary>
public sealed class AsciiTextTests
{
    [Fact]
    public void LowersTableIsToLowerForEveryByte()
    {
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal(AsciiText.ToLower((byte)b), AsciiText.Lowers[b]);
        }
    }
}
