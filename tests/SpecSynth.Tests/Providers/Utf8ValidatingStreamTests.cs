using System.Text;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class Utf8ValidatingStreamTests
{
    private static async Task<byte[]> ReadAllAsync(byte[] body, int chunk)
    {
        await using var stream = new Utf8ValidatingStream(new MemoryStream(body));
        var result = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            result.Write(buffer, 0, read);
        }
        return result.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Valid_utf8_passes_unchanged_however_it_is_split(int chunk)
    {
        var body = Encoding.UTF8.GetBytes("data: {\"text\":\"Grüße → 😀 done\"}\n\n");
        Assert.Equal(body, await ReadAllAsync(body, chunk));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 }, 1L)]
    [InlineData(new byte[] { 0x61, 0x62, 0xC3, 0x28 }, 2L)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0L)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, 1L)]
    public async Task Invalid_or_truncated_sequences_fail_the_read(byte[] body, long offset)
    {
        foreach (var chunk in new[] { 1, 2, 64 })
        {
            var ex = await Assert.ThrowsAsync<InvalidUtf8Exception>(() => ReadAllAsync(body, chunk));
            Assert.Equal(offset, ex.Offset);
            Assert.IsAssignableFrom<IOException>(ex);
        }
    }
}
