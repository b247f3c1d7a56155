using SpecSynth.Context.Index;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>A project without an index is the common case of every spec's context plan: opening its segment answers
/// <c>null</c> without throwing an exception on the way (issue 19); a file that is not an index is refused the same.</summary>
public sealed class IndexFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryOpen_OfAMissingFile_IsNull_WithoutAnExceptionThrown()
    {
        // Arrange
        var path = _dir.Combine("never-written" + Guid.NewGuid().ToString("N") + IndexFile.Extension);
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception.Message.Contains(path, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        // Act
        AppDomain.CurrentDomain.FirstChanceException += Count;
        IndexFile? file;
        try
        {
            file = IndexFile.TryOpen(path);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // Assert
        Assert.Null(file);
        Assert.Equal(0, thrown);
    }

    [Fact]
    public void TryOpen_OfAFileThatIsNoIndex_IsNull()
    {
        var path = _dir.Combine("not-an-index" + IndexFile.Extension);
        File.WriteAllBytes(path, new byte[IndexFile.FixedHead + 64]);

        Assert.Null(IndexFile.TryOpen(path));
    }
}
