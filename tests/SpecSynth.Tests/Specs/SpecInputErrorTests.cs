using System.Text;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class SpecInputErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = _dir.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<SpecSynthException> AssertInvalidBothWays(string path, params string[] fragments)
    {
        var sync = Assert.Throws<SpecSynthException>(() => SpecParser.ParseFile(path));
        var async = await Assert.ThrowsAsync<SpecSynthException>(() => SpecParser.ParseFileAsync(path));
        foreach (var error in new[] { sync, async })
        {
            Assert.Equal(ErrorKind.InvalidInput, error.Kind);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            foreach (var fragment in fragments)
            {
                Assert.Contains(fragment, error.Message, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.Equal(sync.Message, async.Message);
        return sync;
    }

    [Fact]
    public Task A_missing_file_is_invalid_input_naming_the_file() =>
        AssertInvalidBothWays(_dir.Combine("nope.md"), "was not found");

    [Fact]
    public Task A_directory_is_invalid_input() =>
        AssertInvalidBothWays(_dir.Path, "is a directory", "spec.md");

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\r\n  ")]
    [InlineData("\uFEFF\n")]
    public Task Empty_or_whitespace_only_files_are_invalid_input(string content) =>
        AssertInvalidBothWays(WriteBytes("empty.md", Encoding.UTF8.GetBytes(content)), "is empty");

    [Fact]
    public Task A_file_with_NUL_bytes_is_rejected_as_binary() =>
        AssertInvalidBothWays(WriteBytes("image.md", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x0D, 0x0A]), "binary", "NUL");

    [Fact]
    public async Task Invalid_UTF8_is_rejected_with_the_offset()
    {
        var error = await AssertInvalidBothWays(WriteBytes("latin1.md", [.. "# Caf"u8, 0xE9, .. "\n"u8]), "not valid UTF-8", "convert it to UTF-8");

        Assert.Contains("offset 5", error.Message, StringComparison.Ordinal);
        Assert.IsType<DecoderFallbackException>(error.InnerException);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'#', 0, (byte)' ', 0, (byte)'T', 0 })]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'#', 0, (byte)' ', 0, (byte)'T' })]
    public Task UTF16_files_are_rejected_with_a_hint_to_convert(byte[] bytes) =>
        AssertInvalidBothWays(WriteBytes("utf16.md", bytes), "UTF-16", "Convert it to UTF-8");

    [Fact]
    public async Task A_UTF8_BOM_is_accepted_and_stripped()
    {
        var path = WriteBytes("bom.md", [0xEF, 0xBB, 0xBF, .. "# Café\n\n- **FR-001**: System MUST work\n"u8]);

        var spec = SpecParser.ParseFile(path);
        var specAsync = await SpecParser.ParseFileAsync(path);

        Assert.Equal("# Café\n\n- **FR-001**: System MUST work\n", spec.RawText);
        Assert.Equal("Café", spec.Title);
        Assert.Equal("FR-001", Assert.Single(spec.Requirements).Id);
        Assert.Equal(spec.RawText, specAsync.RawText);
    }

    [Fact]
    public async Task Files_over_the_size_cap_are_rejected_before_reading()
    {
        var path = WriteBytes("huge.md", Enumerable.Repeat((byte)'a', SpecParser.MaxSizeBytes + 1).ToArray());

        await AssertInvalidBothWays(path, "too large", "5 MB", "Split it");
    }

    [Fact]
    public void Oversized_or_binary_text_given_directly_is_rejected_too()
    {
        var large = Assert.Throws<SpecSynthException>(() => SpecParser.Parse(new string('a', SpecParser.MaxSizeBytes + 1)));
        var binary = Assert.Throws<SpecSynthException>(() => SpecParser.Parse("# T\0", "x.md"));
        var empty = Assert.Throws<SpecSynthException>(() => SpecParser.Parse(" \n "));

        Assert.Contains("too large", large.Message, StringComparison.Ordinal);
        Assert.Contains("'x.md'", binary.Message, StringComparison.Ordinal);
        Assert.StartsWith("The specification is empty", empty.Message, StringComparison.Ordinal);
        Assert.All(new[] { large, binary, empty }, e => Assert.Equal(ErrorKind.InvalidInput, e.Kind));
        Assert.Throws<ArgumentNullException>(() => SpecParser.Parse(null!));
    }

    [Fact]
    public async Task A_file_locked_by_another_writer_is_reported_as_unreadable()
    {
        var path = _dir.Write("locked.md", "# Locked\n");
        using var handle = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        await AssertInvalidBothWays(path, "could not be read");
    }

    [Fact]
    public void Permission_denied_names_the_file_and_the_fix()
    {
        // Tests run as root here, where chmod cannot deny a read, so the mapping is checked directly.
        var error = SpecInput.ReadFailure("secret/spec.md", new UnauthorizedAccessException("Access to the path is denied."));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("Specification file 'secret/spec.md' cannot be read: permission denied. Check the file's permissions or run as a user who can read it.", error.Message);
    }

    [Fact]
    public async Task A_cancelled_read_throws_OperationCanceledException()
    {
        var path = _dir.Write("spec.md", "# Spec\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SpecParser.ParseFileAsync(path, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void No_path_at_all_is_invalid_input()
    {
        var error = Assert.Throws<SpecSynthException>(() => SpecParser.ParseFile(" "));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("No specification file", error.Message, StringComparison.Ordinal);
    }
}
