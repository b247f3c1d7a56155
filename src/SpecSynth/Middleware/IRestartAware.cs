namespace SpecSynth.Middleware;

/// <summary>A progress sink that wants to know when a stream was restarted and its text so far discarded.</summary>
internal interface IRestartAware
{
    /// <summary>The stream started again from the beginning; forget the text reported so far.</summary>
    void Restarted();
}
