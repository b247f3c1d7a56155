using System.Text;

namespace SpecSynth.Providers;

/// <summary>A read-only stream that passes each complete line (and the unterminated tail) through a rewrite function.</summary>
internal sealed class LinePatchingStream(Stream inner, Func<string, string> patch) : ReadOnlyWrapperStream(inner)
{
    private readonly byte[] readBuffer = new byte[16 * 1024];
    private readonly MemoryStream pendingLine = new();
    private byte[] output = [];
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pendingLine.Dispose();
        }
        base.Dispose(disposing);
    }
}
