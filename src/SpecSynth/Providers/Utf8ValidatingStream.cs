namespace SpecSynth.Providers;

/// <summary>
/// A read-only stream that passes its source's bytes through unchanged while checking they are UTF-8 (<see cref="Utf8Validator"/>).
/// Every byte handed to the reader is part of a valid sequence so far: an invalid sequence throws <see cref="InvalidUtf8Exception"/>
/// before it is returned, and a body that ends inside a sequence throws at the end. A sequence split across reads is
/// carried over, so any chunking is accepted.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private Utf8Validator _validator;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        _validator.Check(buffer[..read]);
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pending = Inner.ReadAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // Most reads of a streamed body find its bytes already there: no state machine for them.
            var read = pending.Result;
            try
            {
                _validator.Check(buffer.Span[..read]);
            }
            catch (InvalidUtf8Exception ex)
            {
                return ValueTask.FromException<int>(ex); // as the awaited path reports it: in the read's task
            }
            return new ValueTask<int>(read);
        }
        return CheckedAsync(pending, buffer);
    }

    private async ValueTask<int> CheckedAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending.ConfigureAwait(false);
        _validator.Check(buffer.Span[..read]);
        return read;
    }
}
