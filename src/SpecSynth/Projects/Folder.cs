namespace SpecSynth.Projects;

/// <summary>A folder met by <see cref="ProjectWalker"/>: where it is, the ignore rules above it and, once listed, the files
/// and subfolders it keeps. Written by one thread (the one that lists it), read after the listing threads are joined.</summary>
/// <param name="FullPath">The folder on disk.</param>
/// <param name="Prefix">Its path relative to the root with a trailing <c>/</c> (empty for the root).</param>
/// <param name="ParentChain">The ignore files in effect above it.</param>
internal sealed class Folder(string FullPath, string Prefix, IgnoreChain? ParentChain)
{
    /// <summary>The folder on disk.</summary>
    public string FullPath { get; } = FullPath;

    /// <summary>Its path relative to the root with a trailing <c>/</c> (empty for the root).</summary>
    public string Prefix { get; } = Prefix;

    /// <summary>The ignore files in effect above it.</summary>
    public IgnoreChain? ParentChain { get; } = ParentChain;

    /// <summary>Every ignore file from the root down to its parent is the one the cached walk read (so are the folders
    /// above it): the cached decisions of its entries still hold where its own listing and ignore files are unchanged too.</summary>
    public bool ChainUnchanged { get; set; }

    /// <summary>The files it keeps, in ordinal order; <c>null</c> until listed.</summary>
    public List<WalkEntry>? Files { get; set; }

    /// <summary>The subfolders it keeps, in ordinal order; <c>null</c> until listed.</summary>
    public List<Folder>? Subfolders { get; set; }

    /// <summary>While its entries are taken in path order: the next of <see cref="Files"/> to take.</summary>
    public int NextFile { get; set; }

    /// <summary>While its entries are taken in path order: the next of <see cref="Subfolders"/> to enter.</summary>
    public int NextSubfolder { get; set; }

    /// <summary>Drops the listing once its files are taken (a large tree's listings are not all held at once).</summary>
    public void Forget()
    {
        Files = [];
        Subfolders = [];
    }
}
