//! The ranked path for a results folder (`score --out`) and the reports
//! people read: the file is read and scored once, each candidate kept as
//! its compact record (rank key, id, packed answers: about 200 bytes with
//! the 72-item questionnaire, not the 3.5 KB of a full result), and every
//! output is written from it in rank order, each candidate assessed again
//! as it is written (assessment is pure: the result is the first one).

use std::io::{self, Read, Write};

use super::{again, write_ranked_lines, Payload, Ranking, Streamed};
use crate::assessment::{Assessment, CandidateResult};
use crate::error::Error;
use crate::ranking::{SharedRanks, Top};
use crate::report::{LineFormat, ReportWriter, Run};
use crate::response::ResponseReader;

/// Every row of a file scored and ranked, kept compact, to be written in
/// any number of formats.
pub struct RankedRun(Ranking);

impl RankedRun {
    /// Reads and scores every row of `reader` on `workers` threads, applies
    /// its duplicate policy and ranks the candidates as
    /// [`crate::batch::score_all`] does.
    ///
    /// # Errors
    /// [`Error::Read`] when the input cannot be read further.
    pub fn new<R: Read + Send>(
        reader: &mut ResponseReader<'_, R>,
        assessment: &Assessment,
        workers: usize,
    ) -> Result<RankedRun, Error> {
        // The line format only shapes the renderer, which this payload does not use.
        let payload = Payload::Answers;
        let ranking = Ranking::new(reader, assessment, LineFormat::Jsonl, payload, workers)?;
        Ok(RankedRun(ranking))
    }

    /// The counts and the rows not scored.
    pub fn streamed(&self) -> &Streamed {
        &self.0.streamed
    }

    /// Keeps only the shortlist `top` asks for ([`crate::ranking::shortlist`]):
    /// the best candidates with a fit shown, ties at the cut kept. The
    /// counts stay those of the whole file. Returns (kept, scored).
    pub fn keep_top(&mut self, top: Top) -> (usize, usize) {
        let ranking = &mut self.0;
        let order: Vec<(usize, bool, (u64, u64))> = ranking
            .view()
            .merged()
            .map(|r| (r.index(), r.has_fit(), r.tie_key()))
            .collect();
        let candidates = order.iter().filter(|(_, fit, _)| *fit).count();
        let n = match top {
            Top::Count(n) => n,
            Top::Share(share) => (share.clamp(0.0, 1.0) * candidates as f64).ceil() as usize,
        };
        let mut ranks = SharedRanks::default();
        let mut kept = 0;
        for (index, fit, tie) in &order {
            let keep = *fit && ranks.next(*tie) <= n;
            ranking.keep[*index] = keep;
            kept += usize::from(keep);
        }
        (kept, order.len())
    }

    /// Writes the candidates in `format` to `sink`, as
    /// [`super::score_ranked`] would.
    ///
    /// # Errors
    /// Any I/O error of `sink`.
    pub fn write_lines<W: Write + Send>(
        &self,
        run: &Run<'_>,
        format: LineFormat,
        workers: usize,
        sink: W,
    ) -> io::Result<()> {
        let ranked = self.0.view();
        write_ranked_lines(run, format, workers, &ranked, &self.0.streamed, sink)
    }

    /// Writes the candidates through `writer`, as [`crate::report::write_all`]
    /// writes a [`crate::batch::Batch`].
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn write_report(&self, writer: &mut dyn ReportWriter, run: &Run<'_>) -> io::Result<()> {
        let ranked = self.0.view();
        let (mut answers, mut result) = (Vec::new(), CandidateResult::default());
        writer.begin(run)?;
        let mut ranks = SharedRanks::default();
        for rank in ranked.merged() {
            let compact = &ranked.scored[rank.index()];
            again(
                run.assessment,
                compact,
                ranked.stores,
                &mut answers,
                &mut result,
            );
            writer.candidate(run, ranks.next(rank.tie_key()), &result)?;
        }
        let streamed = &self.0.streamed;
        writer.finish(run, &streamed.summary, &streamed.rejections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Options;
    use crate::batch::score_all;
    use crate::builtin;
    use crate::report::{write_all, Format, InputRecord};
    use crate::response::ReadOptions;
    use crate::simulate::{Plan, Simulator};

    /// 300 simulated respondents (some careless), a repeated id, an empty id
    /// and an unreadable answer.
    fn text(assessment: &Assessment) -> String {
        let q = assessment.questionnaire();
        let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
        let mut text = format!("candidate_id,{}\n", ids.join(","));
        let plan = Plan {
            seed: 7,
            careless: 0.2,
            fitting: 0.3,
        };
        let mut simulator = Simulator::new(assessment, plan);
        for n in 0..300 {
            let (_, answers) = simulator.next_respondent();
            let cells: Vec<String> = (answers.iter())
                .map(|a| a.map_or_else(String::new, |v| v.to_string()))
                .collect();
            // Row 151 repeats the id of row 51; row 201 has no id.
            let id = match n {
                150 => "c50".to_string(),
                200 => String::new(),
                _ => format!("c{n}"),
            };
            text.push_str(&format!("{id},{}\n", cells.join(",")));
        }
        text.push_str("bad,x\n");
        text
    }

    #[test]
    fn every_format_is_written_as_from_a_whole_batch() {
        let assessment = builtin::assessment("retail", Options::default()).unwrap();
        let text = text(&assessment);
        let read = || {
            ResponseReader::new(
                text.as_bytes(),
                assessment.questionnaire(),
                &ReadOptions::default(),
                "t.csv",
            )
            .unwrap()
        };
        let batch = score_all(&mut read(), &assessment).unwrap();
        let ranked = RankedRun::new(&mut read(), &assessment, 2).unwrap();
        assert_eq!(ranked.streamed().summary, batch.summary);
        assert_eq!(ranked.streamed().rejections.len(), 3);
        let input = InputRecord {
            name: "t.csv".into(),
            sha256: String::new(),
            bytes: 0,
        };
        let run = Run {
            assessment: &assessment,
            input: &input,
        };
        let formats = [
            Format::Csv,
            Format::Json,
            Format::Jsonl,
            Format::Html,
            Format::Markdown,
            Format::Terminal {
                colour: false,
                width: crate::report::TERMINAL_WIDTH,
            },
        ];
        for format in formats {
            let (mut whole, mut kept) = (Vec::new(), Vec::new());
            write_all(format.writer(&mut whole).as_mut(), &run, &batch).unwrap();
            ranked
                .write_report(format.writer(&mut kept).as_mut(), &run)
                .unwrap();
            assert!(whole == kept, "{format:?}");
        }
        for (line, format) in [
            (LineFormat::Csv, Format::Csv),
            (LineFormat::Jsonl, Format::Jsonl),
        ] {
            let (mut whole, mut kept) = (Vec::new(), Vec::new());
            write_all(format.writer(&mut whole).as_mut(), &run, &batch).unwrap();
            ranked.write_lines(&run, line, 2, &mut kept).unwrap();
            assert!(whole == kept, "{format:?}");
        }
    }
}
