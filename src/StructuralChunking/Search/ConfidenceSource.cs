namespace StructuralChunking.Search;

/// <summary>Where an index's confidence threshold came from.</summary>
public enum ConfidenceSource
{
    /// <summary>The threshold shipped with the embedding model's confidence model.</summary>
    Shipped = 0,

    /// <summary>Calibrated at index time on questions made from the code base's own doc comments.</summary>
    CodeBaseDocComments,

    /// <summary>Calibrated on the user's own questions (<see cref="CodeSearchEngine.CalibrateAsync"/>) or set explicitly; kept across re-indexing.</summary>
    Questions,
}
