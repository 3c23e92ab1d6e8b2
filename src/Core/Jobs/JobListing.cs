namespace Firecrest.Core.Jobs;

/// <summary>
/// The grace rule for a job the scheduler does not list yet: right after a submission or a cancellation Slurm and PBS
/// may answer "not found" for a while (the controller has not published it, or it moves from the queue to the
/// accounting database). Within <see cref="DefaultGrace"/> of that moment "not found" means "not listed yet"; after
/// it, the job really is unknown.
/// </summary>
public static class JobListing
{
    /// <summary>How long after a submission or cancellation "not found" is taken as "not listed yet".</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(60);

    /// <summary>True while <paramref name="sinceSubmitOrCancel"/> is inside the grace window: a job not listed now may still appear.</summary>
    public static bool IsWithinGrace(TimeSpan sinceSubmitOrCancel, TimeSpan grace) => sinceSubmitOrCancel < grace;

    /// <summary>True when <paramref name="error"/>, raised <paramref name="sinceSubmitOrCancel"/> after the job was submitted or cancelled, only means the scheduler does not list the job yet.</summary>
    public static bool NotListedYet(HpcException error, TimeSpan sinceSubmitOrCancel, TimeSpan grace) =>
        error.Kind == HpcErrorKind.NotFound && IsWithinGrace(sinceSubmitOrCancel, grace);
}
