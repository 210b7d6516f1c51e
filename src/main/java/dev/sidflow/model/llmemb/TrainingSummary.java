package dev.sidflow.model.llmemb;

/**
 * What a training run did.
 *
 * @param epochs           epochs run
 * @param bestEpoch        epoch whose parameters were kept (best validation NDCG@10)
 * @param bestValNdcg10    validation NDCG@10 of the kept parameters
 * @param bestValHr10      validation HR@10 of the kept parameters
 * @param seconds          wall time, evaluation included
 * @param secondsPerEpoch  mean wall time of one training epoch (no evaluation)
 * @param stopReason       "patience", "max epochs" or "time budget"
 */
public record TrainingSummary(int epochs, int bestEpoch, double bestValNdcg10, double bestValHr10,
                              double seconds, double secondsPerEpoch, String stopReason) {}
