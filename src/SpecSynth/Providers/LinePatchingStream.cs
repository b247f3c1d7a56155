using System.Text;

namespace SpecSynth.Providers;

/// <summary>A read-only stream that passes each complete line (and the unterminated tail) through a rewrite function.
/// Lines are cut from each read with a vectorised search; a line the function leaves as it was is passed on as the bytes
/// that came in, and one output buffer is reused from read to read.</summary>
internal sealed class LinePatchingStream(Stream inner, Func<string, string> patch) : ReadOnlyWrapperStream(inner)
{
    // Streamed events arrive a few hundred bytes at a time; a longer line is gathered across reads.
    private readonly byte[] readBuffer = new byte[4 * 1024];
    private readonly MemoryStream pendingLine = new();
    private readonly MemoryStream output = new();
    private int outputOffset;
    private bool innerDone;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (outputOffset >= output.Length)
        {
            if (innerDone)
            {
                return 0;
            }
            var read = await Inner.ReadAsync(readBuffer, cancellationToken).ConfigureAwait(false);
            Fill(read);
        }
        var count = Math.Min(buffer.Length, (int)output.Length - outputOffset);
        output.GetBuffer().AsMemory(outputOffset, count).CopyTo(buffer);
        outputOffset += count;
        return count;
    }

    private void Fill(int read)
    {
        output.SetLength(0);
        outputOffset = 0;
        if (read == 0)
        {
            innerDone = true;
            FlushPending();
            return;
        }
        var data = readBuffer.AsSpan(0, read);
        for (var end = data.IndexOf((byte)'\n'); end >= 0; end = data.IndexOf((byte)'\n'))
        {
            var line = data[..(end + 1)];
            if (pendingLine.Length == 0)
            {
                Emit(line);
            }
            else
            {
                pendingLine.Write(line);
                FlushPending();
            }
            data = data[(end + 1)..];
        }
        pendingLine.Write(data);
    }

    private void FlushPending()
    {
        if (pendingLine.Length == 0)
        {
            return;
        }
        Emit(pendingLine.GetBuffer().AsSpan(0, (int)pendingLine.Length));
        pendingLine.SetLength(0);
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        var line = Encoding.UTF8.GetString(bytes);
        var patched = patch(line);
        if (ReferenceEquals(patched, line) || patched == line)
        {
            output.Write(bytes);
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(patched));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pendingLine.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
