//! Every string of the UI chrome, in English and Chinese.
//!
//! Views never hold literal text: they ask for a [`T`] in the current
//! [`Lang`]. Placeholders `{0}`, `{1}` are filled by [`fmt`]. No string here
//! may contain an East-Asian-ambiguous symbol (`×`, `·`, `…`, arrows, curly
//! quotes): a CJK terminal would draw it two columns wide and shift the
//! layout; a test checks this.

pub use crate::i18n::Lang;

macro_rules! texts {
    ($($name:ident => $en:expr, $zh:expr;)*) => {
        /// A UI string id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($name,)* }

        impl T {
            /// Every string id, for the width test.
            pub const ALL: &'static [T] = &[$(T::$name,)*];
        }

        /// The text of `t` in `lang`.
        pub fn tr(lang: Lang, t: T) -> &'static str {
            match (t, lang) {
                $((T::$name, Lang::En) => $en, (T::$name, Lang::Zh) => $zh,)*
            }
        }
    };
}

texts! {
    AppName => "nntutor", "nntutor";
    CatalogTitle => "Lessons", "课程";
    CatalogEmpty => "No lessons found. Add a folder with --lessons DIR.", "没有找到课程。可以用 --lessons DIR 添加课程目录。";
    Broken => "cannot open: {0}", "无法打开：{0}";
    StepsSeen => "{0}/{1} steps seen", "已看 {0}/{1} 步";
    PredictionsRight => "{0}/{1} predictions right", "预测正确 {0}/{1}";
    OnlyIn => "(only in {0})", "（仅有{0}版）";
    LangName => "English", "中文";
    LangEn => "English", "英文";
    LangZh => "Chinese", "中文";
    KnobsLine => "Knobs (Tab):", "可调参数（Tab）：";
    ContinueHint => "Continue where you left off: {0}, step {1} (Enter)", "从上次离开的地方继续：{0}，第 {1} 步（回车）";
    Step => "step {0}/{1}", "第 {0}/{1} 步";
    Iteration => "iteration {0}/{1}", "迭代 {0}/{1}";
    Running => "running", "运行中";
    Paused => "paused", "已暂停";
    Done => "done", "已完成";
    Diverged => "diverged at iteration {0}", "在第 {0} 次迭代发散";
    DivergedBanner => "Diverged at iteration {0}: a number became NaN or infinite. The charts keep the last finite values.", "在第 {0} 次迭代发散：出现了 NaN 或无穷大。图表保留最后的有限值。";
    Titled => "{0}: {1}", "{0}：{1}";
    Waiting => "waiting for your prediction", "等待你的预测";
    Replay => "replay {0}/{1} (] forward)", "回放 {0}/{1}（] 向前）";
    NoDemo => "This step has no demo.", "这一步没有演示。";
    DemoError => "The demo cannot start: {0}", "演示无法启动：{0}";
    TooSmall => "terminal too small (need {0}x{1})", "终端太小（至少需要 {0}x{1}）";
    More => "[more: press Right]", "[还有内容：按 Right]";
    HelpTitle => "Keys", "按键";
    HelpClose => "Up/Down scroll, any other key closes this help", "Up/Down 滚动，按其他任意键关闭帮助";
    CtxGlobal => "Everywhere", "任何时候";
    CtxCatalog => "Lesson list", "课程列表";
    CtxLesson => "In a lesson", "课程中";
    CtxKnobs => "Knob panel (after Tab)", "参数面板（按 Tab 后）";
    CtxPlayground => "Playground", "练习场";
    CtxPredict => "Prediction", "预测";
    CtxNumber => "Numeric prediction", "数值预测";
    CtxTyping => "Typing a number", "输入数字时";
    CtxJump => "Step index", "步骤目录";
    CtxHelp => "This help", "本帮助";
    KeyQuit => "quit", "退出";
    KeySuspend => "suspend to the shell (fg returns)", "挂起到 shell（fg 返回）";
    KeyHelp => "show or hide this help", "显示或隐藏帮助";
    KeyBack => "back (close, leave panel, to the list)", "返回（关闭、离开面板、回到列表）";
    KeyLang => "switch language (English, Chinese, ...)", "切换语言（英文、中文等）";
    KeyReload => "reload lesson files", "重新加载课程文件";
    KeyUp => "previous lesson", "上一课";
    KeyDown => "next lesson", "下一课";
    KeyOpen => "open the lesson", "打开课程";
    KeyPlayground => "open the playground", "打开练习场";
    KeySavePlayground => "save the configuration as a lesson file", "把当前配置保存为课程文件";
    KeyNext => "next (reveal more, then next step)", "下一步（先显示更多内容）";
    KeyPrev => "previous step", "上一步";
    KeyReveal => "reveal the whole step", "显示本步全部内容";
    KeyPause => "pause or resume the run", "暂停或继续运行";
    KeyFaster => "play the run faster (up to max)", "加快运行（最快为 max）";
    KeySlower => "play the run slower", "放慢运行";
    KeyStepOnce => "pause and run one iteration", "暂停并运行一次迭代";
    SpeedNow => "speed {0}", "速度 {0}";
    SpeedLimit => "speed {0}: the limit", "速度 {0}：已到极限";
    RunningAt => "running {0}", "运行中 {0}";
    KeyRestart => "restart the run (keeps your knob values)", "重新运行（保留你的参数）";
    KeyReset => "reset knobs to the lesson's values", "参数恢复为课程设定值";
    KeyScrollUp => "scroll text up", "文字向上滚动";
    KeyScrollDown => "scroll text down", "文字向下滚动";
    KeyPageUp => "scroll a page up", "向上翻页";
    KeyPageDown => "scroll a page down", "向下翻页";
    KeyNextKnob => "select the next knob", "选择下一个参数";
    KeyPrevKnob => "select the previous knob", "选择上一个参数";
    KeyInc => "increase the knob (or next choice)", "增大参数（或下一个选项）";
    KeyDec => "decrease the knob (or previous choice)", "减小参数（或上一个选项）";
    KeyEdit => "type an exact knob value", "输入精确的参数值";
    KeyAnswer => "answer the question", "回答问题";
    KeyTypeNumber => "type your number (digits, - . e)", "输入你的数（数字、- . e）";
    KeySubmitNumber => "submit your number; the demo starts after", "提交你的数，之后演示开始";
    KeyDeleteChar => "delete the last character", "删除最后一个字符";
    KeyLeaveField => "leave the field: lesson keys work again", "离开输入框：课程按键恢复可用";
    KeyTypeAgain => "type your number in the field", "在输入框里输入你的数";
    KeyHint => "show the next hint", "显示下一条提示";
    KeyNumbers => "charts or tables of numbers", "图表 / 数字表切换";
    KeyNextChart => "next chart, when the screen holds only one", "下一张图（屏幕只放得下一张时）";
    ChartOf => "chart {0} of {1}, c: next", "第 {0}/{1} 张图，c：下一张";
    KeyScrubBack => "replay: one moment back", "回放：后退一刻";
    KeyScrubFwd => "replay: one moment forward", "回放：前进一刻";
    KeyScrubBackFar => "replay: ten moments back", "回放：后退十刻";
    KeyScrubFwdFar => "replay: ten moments forward", "回放：前进十刻";
    KeyJump => "step index (jump to a step)", "步骤目录（跳到某一步）";
    KeyJumpGo => "go to the selected step", "跳到所选步骤";
    KeyJumpUp => "previous step in the index", "目录中上一项";
    KeyJumpDown => "next step in the index", "目录中下一项";
    HintNext => "next", "下一步";
    HintPause => "pause", "暂停";
    HintHelp => "help", "帮助";
    HintQuit => "quit", "退出";
    HintOpen => "open", "打开";
    HintPlayground => "playground", "练习场";
    HintSave => "save", "保存";
    HintKnobs => "knobs", "参数";
    HintAnswer => "answer", "作答";
    HintLeaveField => "leave", "离开";
    KnobsTitle => "Knobs", "可调参数";
    KnobsKeys => "Tab select, +/- change, Enter type", "Tab 选择，+/- 调整，回车输入";
    Live => "live", "实时生效";
    Restarts => "restarts", "重新运行";
    Changed => "changed", "已改动";
    AppliedLive => "{0} = {1}: applied live", "{0} = {1}：已实时生效";
    Restarted => "{0} = {1}: run restarted", "{0} = {1}：已重新运行";
    RunRestarted => "run restarted", "已重新运行";
    KnobsReset => "knobs reset to the lesson's values", "参数已恢复为课程设定值";
    KnobRejected => "{0} not changed: {1}", "{0} 未改变：{1}";
    KnobRange => "{0} to {1}", "{0} 到 {1}";
    KnobLimit => "{0} is at its limit ({1})", "{0} 已到极限（{1}）";
    NoKnobs => "this step has no knobs", "这一步没有可调参数";
    InputPrompt => "{0} = ", "{0} = ";
    InputKeys => "Enter apply, Esc cancel", "回车确认，Esc 取消";
    BadInput => "cannot read {0} as a value", "无法把 {0} 读作一个值";
    PredictTitle => "Predict first", "先预测";
    PredictKeys => "press 1-{0} to answer; the demo starts after", "按 1-{0} 作答，之后演示开始";
    NumberKeys => "type a number, then Enter; the demo starts after", "输入一个数，按回车提交，之后演示开始";
    TypingKeys => "Enter submits, Esc leaves the field; the demo starts after", "回车提交后演示开始，Esc 离开输入框";
    NumberField => "Your answer: {0}", "你的答案：{0}";
    TypeANumber => "type a number", "输入一个数";
    ChoiceKeys => "1-{0}", "1-{0}";
    NotNumberChar => "only digits, -, . and e make a number (Esc leaves the field)", "数只能由数字、-、. 和 e 组成（Esc 离开输入框）";
    NumberFull => "a number has at most {0} characters", "一个数最多 {0} 个字符";
    NotANumber => "cannot read {0} as a number", "无法把 {0} 读作一个数";
    TypeFirst => "type a number first, then Enter", "请先输入一个数，再按回车";
    YouSaid => "You said {0}.", "你的答案是 {0}。";
    NotThisTime => "Not this time.", "这次没猜对。";
    NumberAnswer => "The answer is {0}: {1} to {2} counts as right.", "答案是 {0}：{1} 到 {2} 之间都算对。";
    NumberExact => "The answer is {0}.", "答案是 {0}。";
    Measured => "This run measured {0} = {1}.", "这次运行测得 {0} = {1}。";
    YouChose => "You chose {0} ({1}).", "你选了 {0}（{1}）。";
    Right => "Your prediction held.", "你的预测是对的。";
    Wrong => "Not this time: the answer is {0} ({1}).", "这次没猜对：答案是 {0}（{1}）。";
    PredictedRight => "prediction right", "预测正确";
    PredictedWrong => "prediction missed", "预测未中";
    Watching => "Watch the run settle it.", "看运行结果来验证。";
    Settled => "{0} = {1}", "{0} = {1}";
    LastOf => "{0} (last) {1}", "{0}（末项）{1}";
    AnswerOrSkip => "answer the question first ({0}), or press Right again to skip it", "请先回答问题（{0}），或再按 Right 跳过";
    AnswerFirst => "answer the question first ({0})", "请先回答问题（{0}）";
    HintAfterAnswer => "hints come after your prediction: answer first ({0})", "提示在预测之后：请先作答（{0}）";
    HintTitle => "Hint {0}/{1}", "提示 {0}/{1}";
    NoHints => "this step has no hints", "这一步没有提示";
    NoMoreHints => "all hints are shown", "提示已全部显示";
    NumbersMore => "line {0} of {1}, PgUp/PgDn scroll", "第 {0}/{1} 行，PgUp/PgDn 滚动";
    NumbersMetric => "metric", "指标";
    NumbersValue => "value", "数值";
    NumbersSeries => "series", "序列";
    NumbersPoints => "points", "点数";
    NumbersLastX => "last x", "最后 x";
    NumbersLastY => "last y", "最后 y";
    NumbersMin => "min", "最小";
    NumbersMax => "max", "最大";
    NumbersBins => "bins {0}, samples {1}, fullest bin [{2}, {3}) with {4}", "分箱 {0}，样本 {1}，最多的箱 [{2}, {3})：{4}";
    NumbersBand => "band", "区间";
    NumbersMarker => "marker", "标记";
    NumbersGrid => "grid {0}x{1} of {4}, values {2} to {3}", "{4}的网格 {0}x{1}，数值 {2} 到 {3}";
    NumbersCategory => "category", "类别";
    JumpTitle => "Steps", "步骤";
    LangSwitched => "language: {0}", "语言：{0}";
    LangSwitchedNoChrome => "language: {0} (the interface stays in English: no strings for it yet)", "语言：{0}（界面暂无该语言的文字，以英文显示）";
    LangFallback => "this lesson has no {0} version; showing {1}", "这一课没有「{0}」版本，显示的是「{1}」版本";
    Reloaded => "reloaded {0}", "已重新加载 {0}";
    ProblemTitle => "The lesson file has a problem; the last good version stays open", "课程文件有问题；仍显示上一个可用版本";
    ReloadFailed => "reload failed, keeping the last good version: {0}", "重新加载失败，保留上一个可用版本：{0}";
    ReloadNone => "nothing to reload: no lesson folder or file is watched", "没有可重新加载的：未监视任何课程目录或文件";
    WatchFailed => "file watching unavailable ({0}); press Ctrl-R to reload", "无法监视文件（{0}）；按 Ctrl-R 手动重新加载";
    ProgressSetAside => "progress file was unreadable; set aside as {0}", "进度文件无法读取，已另存为 {0}";
    ProgressSaveFailed => "progress not saved: {0}", "进度未保存：{0}";
    LessonEnd => "end of the lesson: Esc returns to the list", "本课结束：按 Esc 返回课程列表";
    LessonGone => "the lesson {0} is no longer in the catalog", "课程 {0} 已不在目录中";
    StepLabel => "Step {0}", "第 {0} 步";
    PlaygroundSaved => "saved as {0}: a lesson file that passes nntutor check", "已保存为课程文件 {0}，可通过 nntutor check 检查";
    PlaygroundNotSaved => "not saved: {0}", "未保存：{0}";
    PlaygroundFitted => "{0} = {1}: layers now {2}, run restarted", "{0} = {1}：layers 改为 {2}，已重新运行";
}

/// `t` in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn fmt(lang: Lang, t: T, args: &[&dyn std::fmt::Display]) -> String {
    let mut s = tr(lang, t).to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), &a.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn no_chrome_string_has_an_ambiguous_width_symbol() {
        for &t in T::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let s = tr(lang, t);
                // width_cjk counts ambiguous symbols as 2, width as 1: equal
                // widths mean the string renders the same on every terminal.
                assert_eq!(s.width(), s.width_cjk(), "{t:?} in {lang:?}: {s:?}");
            }
        }
    }

    #[test]
    fn both_languages_keep_the_same_placeholders() {
        for &t in T::ALL {
            for i in 0..6 {
                let p = format!("{{{i}}}");
                assert_eq!(
                    tr(Lang::En, t).contains(&p),
                    tr(Lang::Zh, t).contains(&p),
                    "{t:?} placeholder {p}"
                );
            }
        }
    }
}
