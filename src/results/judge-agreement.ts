import { wilsonInterval } from '../stats/wilson-interval.js';

/** One labelled answer: what people said, and what the judge said (null when it gave no verdict). */
export interface LabelledVerdict {
  human: boolean;
  judge: boolean | null;
}

/** How a judge agrees with people on labelled answers. */
export interface JudgeAgreement {
  /** Labels the judge gave a verdict on. */
  n: number;
  /** Labels the judge gave no verdict on (JUDGE_ERROR): left out of every figure below. */
  noVerdict: number;
  /** Share of verdicts that agree with the label; null when n is 0. */
  accuracy: number | null;
  /** 95% Wilson interval of the accuracy. */
  accuracyCi95: [number, number] | null;
  /**
   * Cohen's kappa: agreement beyond what two raters with these pass rates would reach by chance,
   * (pₒ − pₑ) / (1 − pₑ); null when chance agreement is certain (every label and verdict the same).
   */
  kappa: number | null;
  /** The confusion matrix, by the judge's verdict and the human label. */
  confusion: { truePass: number; falsePass: number; falseFail: number; trueFail: number };
}

/** Accuracy with its interval, Cohen's kappa and the confusion matrix of a judge against human labels. */
export function judgeAgreement(labels: readonly LabelledVerdict[]): JudgeAgreement {
  const confusion = { truePass: 0, falsePass: 0, falseFail: 0, trueFail: 0 };
  let noVerdict = 0;
  for (const { human, judge } of labels) {
    if (judge === null) noVerdict++;
    else if (judge && human) confusion.truePass++;
    else if (judge && !human) confusion.falsePass++;
    else if (!judge && human) confusion.falseFail++;
    else confusion.trueFail++;
  }
  const n = confusion.truePass + confusion.falsePass + confusion.falseFail + confusion.trueFail;
  if (n === 0) return { n, noVerdict, accuracy: null, accuracyCi95: null, kappa: null, confusion };
  const agree = confusion.truePass + confusion.trueFail;
  const observed = agree / n;
  const judgePass = (confusion.truePass + confusion.falsePass) / n;
  const humanPass = (confusion.truePass + confusion.falseFail) / n;
  const chance = judgePass * humanPass + (1 - judgePass) * (1 - humanPass);
  return {
    n,
    noVerdict,
    accuracy: observed,
    accuracyCi95: wilsonInterval(agree, n) ?? null,
    kappa: chance >= 1 ? null : (observed - chance) / (1 - chance),
    confusion,
  };
}
