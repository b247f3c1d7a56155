using System.Text;

namespace SpecSynth.Llm.Providers;

/// <summary>A read-only stream that passes each complete line (and the unterminated tail) through a rewrite function.</summary>
internal sealed class LinePatchingStream(Stream inner, Func<string, string> patch) : Stream
{
    private readonly byte[] readBuffer = new byte[16 * 1024];
    private readonly MemoryStream pendingLine = new();
    private byte[] output = [];
    private int outputOffset;
    private bool innerDone;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (outputOffset >= output.Length)
        {
            if (innerDone)
            {
                return 0;
            }
            var read = await inner.ReadAsync(readBuffer, cancellationToken).ConfigureAwait(false);
            Fill(read);
        }
        var count = Math.Min(buffer.Length, output.Length - outputOffset);
        output.AsMemory(outputOffset, count).CopyTo(buffer);
        outputOffset += count;
        return count;
    }

    private void Fill(int read)
    {
        using var produced = new MemoryStream();
        if (read == 0)
        {
            innerDone = true;
            Flush(produced);
        }
        for (var i = 0; i < read; i++)
        {
            pendingLine.WriteByte(readBuffer[i]);
            if (readBuffer[i] == (byte)'\n')
            {
                Flush(produced);
            }
        }
        output = produced.ToArray();
        outputOffset = 0;
    }

    private void Flush(MemoryStream produced)
    {
        if (pendingLine.Length == 0)
        {
            return;
        }
        var line = Encoding.UTF8.GetString(pendingLine.GetBuffer(), 0, (int)pendingLine.Length);
        var patched = patch(line);
        if (ReferenceEquals(patched, line) || patched == line)
        {
            produced.Write(pendingLine.GetBuffer(), 0, (int)pendingLine.Length);
        }
        else
        {
            produced.Write(Encoding.UTF8.GetBytes(patched));
        }
        pendingLine.SetLength(0);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            pendingLine.Dispose();
        }
        base.Dispose(disposing);
    }
}
