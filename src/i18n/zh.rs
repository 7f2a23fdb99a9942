//! Chinese for every `msg!` template, keyed by the English template.
//!
//! Terms follow the glossary in the curriculum (权重, 过拟合, 随机失活 …)
//! and the Chinese authoring guide (头信息 for front matter, 代码块 for a
//! fenced block). Key names, values and Markdown in backticks stay as they
//! are: an instructor types them into the lesson file.

pub(super) static ENTRIES: &[(&str, &str)] = &[
    // Diagnostic labels.
    ("error", "错误"),
    ("warning", "警告"),
    ("help", "帮助"),
    // Reading a lesson file.
    ("cannot read the file: {error}", "无法读取文件：{error}"),
    ("cannot read the folder: {error}", "无法读取文件夹：{error}"),
    (
        "is a folder, not a lesson file (pass it with --lessons, or to `check`)",
        "是文件夹，不是课程文件（请用 --lessons 传入，或交给 `check`）",
    ),
    (
        "is not a regular file (a pipe, socket or device)",
        "不是普通文件（而是管道、套接字或设备）",
    ),
    (
        "no lesson files (*.md) in this folder",
        "这个文件夹里没有课程文件（*.md）",
    ),
    (
        "file is {size} bytes; lessons are limited to {max} bytes",
        "文件有 {size} 字节；课程文件最多 {max} 字节",
    ),
    ("split the lesson into several files", "把课程拆成几个文件"),
    (
        "file is not valid UTF-8 (byte {byte})",
        "文件不是有效的 UTF-8（字节 {byte}）",
    ),
    ("save the file as UTF-8", "把文件存成 UTF-8 编码"),
    (
        "line is {size} bytes long; the limit is {max}",
        "这一行有 {size} 字节；上限是 {max}",
    ),
    (
        "break the paragraph into shorter lines",
        "把这段拆成较短的几行",
    ),
    ("duplicate lesson id \"{id}\"", "课程 id \"{id}\" 重复"),
    (
        "{other} already uses this id; give each lesson its own id",
        "{other} 已经用了这个 id；每个课程要有自己的 id",
    ),
    // The lesson's structure.
    ("lesson could not be read", "无法读取课程"),
    ("lesson file is empty", "课程文件是空的"),
    (
        "run `nntutor new NAME` for a starter lesson",
        "运行 `nntutor new NAME` 生成一个课程模板",
    ),
    (
        "lesson has no front matter: the first line must be `+++`",
        "课程没有头信息：第一行必须是 `+++`",
    ),
    (
        "start the file with `+++`, then `id = \"…\"`, `title = \"…\"`, `order = N`, then `+++`",
        "文件以 `+++` 开头，接着写 `id = \"…\"`、`title = \"…\"`、`order = N`，再以 `+++` 结束",
    ),
    ("front matter is never closed", "头信息没有结束"),
    ("unknown block ```{info}", "未知的代码块 ```{info}"),
    (
        "did you mean ```{meant}? (blocks: demo, predict, hint, expect; any other name is shown as code)",
        "你是想写 ```{meant} 吗？（可用的块：demo、predict、hint、expect；其他名字会按普通代码显示）",
    ),
    (
        "not a pause marker: it is ignored",
        "不是暂停标记：会被忽略",
    ),
    (
        "write `<!-- pause -->` alone on its line",
        "请单独一行写 `<!-- pause -->`",
    ),
    (
        "`run_seconds` must be between 1 and {max}, found {secs}",
        "`run_seconds` 必须在 1 到 {max} 之间，实际是 {secs}",
    ),
    (
        "the seconds a step's run takes at normal speed; the default is 6",
        "一步的演示在正常速度下运行的秒数；默认是 6",
    ),
    (
        "end the front matter with a line `+++`",
        "用一行 `+++` 结束头信息",
    ),
    ("lesson has no steps", "课程没有步骤"),
    (
        "start each step with a `## Title` line",
        "每个步骤以一行 `## 标题` 开头",
    ),
    ("front matter", "头信息"),
    ("id \"{id}\" is not a valid id", "\"{id}\" 不是有效的 id"),
    (
        "use lowercase letters, digits and `-`, e.g. \"zero-init\"",
        "请用小写字母、数字和 `-`，例如 \"zero-init\"",
    ),
    ("step heading has no title", "步骤标题是空的"),
    (
        "{marker}{info} block is never closed",
        "{marker}{info} 代码块没有结束",
    ),
    (
        "end the block with a line {marker}",
        "用一行 {marker} 结束这个代码块",
    ),
    (
        "text before the first `## ` step is not shown",
        "第一个 `## ` 步骤之前的文字不会显示",
    ),
    ("move it into a step", "把它移到某个步骤里"),
    (
        "```{info} block before the first `## ` step",
        "```{info} 代码块出现在第一个 `## ` 步骤之前",
    ),
    ("put it inside a step", "把它放进某个步骤里"),
    ("demo block", "demo 代码块"),
    ("predict block", "predict 代码块"),
    ("a predict block", "predict 代码块"),
    (
        "a step may have only one demo block",
        "一个步骤只能有一个 demo 代码块",
    ),
    (
        "this step's demo starts at line {first}; start a new `## ` step for a second demo",
        "这个步骤的演示从第 {first} 行开始；第二个演示请另起一个 `## ` 步骤",
    ),
    (
        "a step may have only one predict block",
        "一个步骤只能有一个 predict 代码块",
    ),
    ("hint block is empty", "hint 代码块是空的"),
    ("step \"{title}\" has no demo", "步骤 \"{title}\" 没有演示"),
    (
        "every step should run a live demo: add a ```demo block",
        "每个步骤都应该运行一个实时演示：加一个 ```demo 代码块",
    ),
    (
        "kind \"{kind}\" reports no metric \"{metric}\"",
        "类型 \"{kind}\" 没有指标 \"{metric}\"",
    ),
    (
        "step \"{title}\" shows {words} words at once",
        "步骤 \"{title}\" 一次显示 {words} 个词",
    ),
    (
        "keep each part under {max} words: split the step or add `<!-- pause -->`",
        "每部分保持在 {max} 个词以内：拆分这个步骤，或加上 `<!-- pause -->`",
    ),
    // TOML keys and values.
    (
        "invalid TOML in {what}: {message}",
        "{what}中的 TOML 无效：{message}",
    ),
    (
        "unknown key `{key}` in {what}",
        "{what}中有未知的键 `{key}`",
    ),
    ("`{key}` is empty", "`{key}` 是空的"),
    ("{what} has no `{key}`", "{what}没有 `{key}`"),
    ("add a line `{key} = …`", "加一行 `{key} = …`"),
    (
        "`{key}` must be {expected}, found {found}",
        "`{key}` 必须是{expected}，实际是{found}",
    ),
    (
        "`{name}` must be {expected}, found {found} {value}",
        "`{name}` 必须是{expected}，实际是{found} {value}",
    ),
    ("`{key}` cannot be {found}", "`{key}` 不能是{found}"),
    ("a boolean", "布尔值"),
    ("an integer", "整数"),
    ("a number", "数值"),
    ("a string", "字符串"),
    ("a list", "列表"),
    ("a list of integers", "整数列表"),
    ("a list of strings", "字符串列表"),
    ("a date", "日期"),
    ("a table", "表"),
    ("a deeply nested list", "多层嵌套的列表"),
    ("a malformed integer", "格式错误的整数"),
    ("a malformed number", "格式错误的数值"),
    (
        "an integer this large (beyond ±9223372036854775807)",
        "这么大的整数（超出 ±9223372036854775807）",
    ),
    ("empty", "空值"),
    ("true or false", "true 或 false"),
    ("{min} to {max}", "{min} 到 {max}"),
    (
        "{min_len} to {max_len} integers, each {min} to {max}",
        "{min_len} 到 {max_len} 个整数，每个 {min} 到 {max}",
    ),
    (
        "`{name}` = {value} is out of range ({min} to {max})",
        "`{name}` = {value} 超出范围（{min} 到 {max}）",
    ),
    (
        "`{name}` = {value} is out of range {range}",
        "`{name}` = {value} 超出范围 {range}",
    ),
    (
        "`{name}` = {value} is not a finite number",
        "`{name}` = {value} 不是有限的数值",
    ),
    (
        "`{name}` = \"{value}\" is not a valid choice",
        "`{name}` = \"{value}\" 不是有效的选项",
    ),
    (
        "`{name}` has {count} entries; it needs {min} to {max}",
        "`{name}` 有 {count} 项；需要 {min} 到 {max} 项",
    ),
    (
        "`{name}` entry {value} is out of range ({min} to {max})",
        "`{name}` 中的 {value} 超出范围（{min} 到 {max}）",
    ),
    (
        "`{name}` entry \"{value}\" is not a valid choice",
        "`{name}` 中的 \"{value}\" 不是有效的选项",
    ),
    (
        "`{name}` lists \"{value}\" twice",
        "`{name}` 把 \"{value}\" 列了两次",
    ),
    ("{what}: {list}", "{what}：{list}"),
    (
        "{what}: {list}; did you mean `{best}`?",
        "{what}：{list}；你是想写 `{best}` 吗？",
    ),
    ("valid keys", "可用的键"),
    ("valid kinds", "可用的类型"),
    ("valid choices", "可用的选项"),
    ("valid knobs", "可调的参数"),
    ("valid values: {range}", "可用的值：{range}"),
    ("valid kinds: {kinds}", "可用的类型：{kinds}"),
    ("demo block has no `kind`", "demo 代码块没有 `kind`"),
    (
        "add `kind = \"…\"`; valid kinds: {kinds}",
        "加上 `kind = \"…\"`；可用的类型：{kinds}",
    ),
    ("unknown demo kind \"{name}\"", "未知的演示类型 \"{name}\""),
    (
        "unknown key `{name}` for kind \"{kind}\"",
        "类型 \"{kind}\" 没有键 `{name}`",
    ),
    (
        "knob \"{name}\" is fixed for a step and cannot be turned; it is ignored",
        "参数 \"{name}\" 在一个步骤里是固定的，不能调节；已忽略",
    ),
    (
        "knob \"{name}\" is not a key of kind \"{kind}\"; it is ignored",
        "可调参数 \"{name}\" 不是类型 \"{kind}\" 的键；已忽略",
    ),
    // Predict blocks.
    (
        "`choices` must be a list of non-empty strings",
        "`choices` 必须是非空字符串的列表",
    ),
    (
        "`choices` has {count} entries; it needs 2 to 9",
        "`choices` 有 {count} 项；需要 2 到 9 项",
    ),
    (
        "`answer` = {answer} is out of range (1 to {max})",
        "`answer` = {answer} 超出范围（1 到 {max}）",
    ),
    (
        "`answer` is the 1-based number of the correct choice",
        "`answer` 是正确选项的序号，从 1 开始",
    ),
    ("incomplete predict block", "predict 代码块不完整"),
    (
        "`tolerance` belongs to a numeric answer, and this block has `choices`",
        "`tolerance` 属于数值答案，而这个代码块有 `choices`",
    ),
    (
        "remove `tolerance` for multiple choice, or remove `choices` to ask for a number",
        "如果是选择题，删掉 `tolerance`；如果要让学生填一个数，删掉 `choices`",
    ),
    (
        "`answer` = {value} is not the number of a choice, and this block has `choices`",
        "`answer` = {value} 不是选项的序号，而这个代码块有 `choices`",
    ),
    (
        "for multiple choice, `answer` is the 1-based number of the right choice; to ask for a number, remove `choices` and add `tolerance`",
        "选择题的 `answer` 是正确选项的序号（从 1 开始）；如果要让学生填一个数，删掉 `choices` 并加上 `tolerance`",
    ),
    (
        "predict block has no `answer`",
        "predict 代码块没有 `answer`",
    ),
    (
        "add `choices = [\"…\", \"…\"]` and `answer = N` (the right choice's number) for multiple choice, or `answer = 0.5` and `tolerance = 0.01` to ask for a number",
        "选择题请加上 `choices = [\"…\", \"…\"]` 和 `answer = N`（正确选项的序号）；要让学生填一个数，请加上 `answer = 0.5` 和 `tolerance = 0.01`",
    ),
    (
        "`answer` must be a finite number, found {value}",
        "`answer` 必须是有限的数，实际是 {value}",
    ),
    (
        "without `choices`, `answer` is the number the student should predict",
        "没有 `choices` 时，`answer` 是学生应当预测出的那个数",
    ),
    (
        "a numeric predict block has no `tolerance`",
        "数值题的 predict 代码块没有 `tolerance`",
    ),
    (
        "add `tolerance = …`, how far from `answer` still counts as right: `0.01`, `\"5%\"` of the answer, or `0` for exactly; for multiple choice, add `choices`",
        "加上 `tolerance = …`，即离 `answer` 多远仍算答对：`0.01`、答案的 `\"5%\"`，或 `0` 表示必须完全相等；如果是选择题，请加上 `choices`",
    ),
    (
        "`tolerance` is the largest distance from `answer` that still counts as right",
        "`tolerance` 是离 `answer` 最远多少仍算答对",
    ),
    (
        "`tolerance` = \"{text}\" is neither a number nor a percentage",
        "`tolerance` = \"{text}\" 既不是数，也不是百分比",
    ),
    (
        "write `tolerance = 0.01`, or `tolerance = \"5%\"` for a share of `answer`",
        "写成 `tolerance = 0.01`，或写成 `tolerance = \"5%\"` 表示 `answer` 的一个比例",
    ),
    ("a number or a percentage", "数或百分比"),
    (
        "`tolerance` must be a finite number, found {value}",
        "`tolerance` 必须是有限的数，实际是 {value}",
    ),
    (
        "`tolerance` = {value} is negative",
        "`tolerance` = {value} 是负数",
    ),
    (
        "a share of an `answer` of 0 is 0: this tolerance accepts only 0",
        "`answer` 为 0 时，它的任何比例都是 0：这个容差只接受 0",
    ),
    (
        "give an absolute tolerance, e.g. `tolerance = 0.01`",
        "请给出绝对容差，例如 `tolerance = 0.01`",
    ),
    (
        "a numeric answer's `metric` is measured by the step's demo, and this step has none",
        "数值答案的 `metric` 要由本步的演示来测量，而这一步没有演示",
    ),
    (
        "add a ```demo block, or remove `metric`",
        "加上一个 ```demo 代码块，或删掉 `metric`",
    ),
    // Translations against their original.
    (
        "a translation keeps its original's steps, pauses, demo blocks, knobs, predict answers and hints exactly; compare with {path}",
        "译文必须原样保留原文的步骤、暂停标记、demo 代码块、可调参数、预测答案和提示；请与 {path} 对照",
    ),
    (
        "translation has {m} steps; the original has {n}",
        "译文有 {m} 步；原文有 {n} 步",
    ),
    (
        "step {n} has no demo; the original's has one",
        "第 {n} 步没有演示；原文的有",
    ),
    (
        "step {n} has a demo; the original's has none",
        "第 {n} 步有演示；原文的没有",
    ),
    (
        "step {n}'s demo is kind \"{kind}\"; the original's is \"{original}\"",
        "第 {n} 步的演示类型是 \"{kind}\"；原文的是 \"{original}\"",
    ),
    (
        "step {n}'s demo sets `{key}` = {value}; the original sets {original}",
        "第 {n} 步的演示设置 `{key}` = {value}；原文设置的是 {original}",
    ),
    (
        "step {n}'s knobs are [{knobs}]; the original's are [{original}]",
        "第 {n} 步的可调参数是 [{knobs}]；原文的是 [{original}]",
    ),
    (
        "step {n} has {b} pause-separated segments; the original's has {a} (`<!-- pause -->` markers are kept in a translation)",
        "第 {n} 步被暂停标记分成 {b} 段；原文的是 {a} 段（译文要保留 `<!-- pause -->` 标记）",
    ),
    (
        "step {n} has no predict block; the original's has one",
        "第 {n} 步没有 predict 代码块；原文的有",
    ),
    (
        "step {n} has a predict block; the original's has none",
        "第 {n} 步有 predict 代码块；原文的没有",
    ),
    (
        "step {n}'s predict has {count} choices; the original's has {original}",
        "第 {n} 步的预测有 {count} 个选项；原文的有 {original} 个",
    ),
    (
        "step {n}'s predict sets `answer` = {answer}; the original sets {original}",
        "第 {n} 步的预测设置 `answer` = {answer}；原文设置的是 {original}",
    ),
    (
        "step {n}'s predict is settled by {metric}; the original's by {original}",
        "第 {n} 步的预测由 {metric} 判定；原文的由 {original} 判定",
    ),
    ("no metric", "没有指标"),
    (
        "step {n}'s predict accepts {answer}; the original accepts {original}",
        "第 {n} 步的预测接受 {answer}；原文接受的是 {original}",
    ),
    (
        "step {n}'s predict asks for {form}; the original's for {original}",
        "第 {n} 步的预测要求回答{form}；原文要求的是{original}",
    ),
    ("a choice", "选项"),
    (
        "step {n} has {b} hints; the original's has {a}",
        "第 {n} 步有 {b} 个提示；原文的有 {a} 个",
    ),
    // Building a demo.
    (
        "demo cannot run: `{key}`: {problem}",
        "演示无法运行：`{key}`：{problem}",
    ),
    (
        "max_degree = {max_degree} needs at least {needed} samples per set (samples = {samples})",
        "max_degree = {max_degree} 要求每组至少 {needed} 个样本（samples = {samples}）",
    ),
    (
        "depth would hold {values} numbers (layers × width² weights plus samples × width per layer), more than {max}; lower `samples`, `width` or `layers`",
        "depth 演示要存 {values} 个数（layers × width² 个权重，加上每层 samples × width 个激活值），超过上限 {max}；请减小 `samples`、`width` 或 `layers`",
    ),
    (
        "`relevant` = {relevant} exceeds `features` = {features}: at most every input can matter",
        "`relevant` = {relevant} 超过了 `features` = {features}：有用的输入最多就是全部输入",
    ),
    ("1 input", "1 个输入"),
    (
        "{n} inputs (`features` = {features})",
        "{n} 个输入（`features` = {features}）",
    ),
    (
        "2 inputs (a point in the plane)",
        "2 个输入（平面上的一个点）",
    ),
    (
        "`layers` starts with {first} but data set \"{dataset}\" has {why}; use {n}",
        "`layers` 以 {first} 开头，但数据集 \"{dataset}\" 有 {why}；请用 {n}",
    ),
    ("1 output (regression)", "1 个输出（回归）"),
    (
        "`layers` ends with {last} but data set \"{dataset}\" needs {why}",
        "`layers` 以 {last} 结尾，但数据集 \"{dataset}\" 需要 {why}",
    ),
    (
        "this network on {samples} samples needs {mb} MB and {gflop} GFLOP per step (limits {max_mb} MB, {max_gflop} GFLOP); use narrower layers or fewer samples",
        "这个网络在 {samples} 个样本上每步需要 {mb} MB 内存和 {gflop} GFLOP 计算（上限 {max_mb} MB、{max_gflop} GFLOP）；请用更窄的层或更少的样本",
    ),
    // The command line.
    (
        "--lang {code}: no lessons in that language; available: {list}",
        "--lang {code}：没有这种语言的课程；可用的语言：{list}",
    ),
    (
        "--lessons {path}: not a folder",
        "--lessons {path}：不是文件夹",
    ),
    (
        "{path}: no such file or folder",
        "{path}：没有这个文件或文件夹",
    ),
    ("{name}: no such lesson file", "{name}：没有这个课程文件"),
    (
        "{name}: no such lesson file; did you mean the command `{command}`?",
        "{name}：没有这个课程文件；你是想用命令 `{command}` 吗？",
    ),
    ("{name}: not loaded", "{name}：没有加载"),
    (
        "{name}: is a folder, not a lesson file; use `--lessons {name} run ID` with an id from `nntutor --lessons {name} list`",
        "{name}：是文件夹，不是课程文件；请用 `--lessons {name} run ID`，ID 从 `nntutor --lessons {name} list` 的结果中选",
    ),
    (
        "no lesson \"{name}\" ({help})",
        "没有课程 \"{name}\"（{help}）",
    ),
    (
        "no lessons are installed; add a folder with --lessons DIR",
        "没有安装任何课程；可以用 --lessons DIR 添加课程目录",
    ),
    ("known lessons", "已有的课程"),
    (
        "lesson \"{id}\" has {n} {noun}; --step must be 1 to {n}",
        "课程 \"{id}\" 有 {n} {noun}；--step 必须是 1 到 {n}",
    ),
    ("step", "步"),
    ("steps", "步"),
    (
        "step {n} (\"{title}\") of \"{id}\" has no demo",
        "课程 \"{id}\" 的第 {n} 步（\"{title}\"）没有演示",
    ),
    ("{option}: {problem}", "{option}：{problem}"),
    ("e.g. --set lr=0.5", "例如 --set lr=0.5"),
    (
        "`{arg}` is not of the form key=value",
        "`{arg}` 不是 key=value 的形式",
    ),
    ("`{arg}` has no key before `=`", "`{arg}` 的 `=` 前面没有键"),
    (
        "the kind of a step's demo cannot be changed",
        "步骤的演示类型不能更改",
    ),
    (
        "{lesson} — step {n}/{total}: {title} (kind \"{kind}\")",
        "{lesson} — 第 {n}/{total} 步：{title}（类型 \"{kind}\"）",
    ),
    ("no lessons found", "没有找到课程"),
    ("{title} ({n} steps)", "{title}（{n} 步）"),
    ("[not translated]", "[未翻译]"),
    ("BROKEN: {problem}", "无法打开：{problem}"),
    ("invalid", "无效"),
    (
        "checked {files}: {valid} valid, {broken} invalid ({errors}, {warnings})",
        "检查了 {files}：{valid} 个有效，{broken} 个无效（{errors}，{warnings}）",
    ),
    ("{n} lesson file", "{n} 个课程文件"),
    ("{n} lesson files", "{n} 个课程文件"),
    ("{n} error", "{n} 个错误"),
    ("{n} errors", "{n} 个错误"),
    ("{n} warning", "{n} 个警告"),
    ("{n} warnings", "{n} 个警告"),
    (
        "`{name}` does not make a lesson id: use letters, digits and `-`",
        "`{name}` 不能用作课程 id：请只用字母、数字和 `-`",
    ),
    (
        "{path} already exists; not overwriting it",
        "{path} 已经存在；不会覆盖它",
    ),
    ("cannot write {path}: {error}", "无法写入 {path}：{error}"),
    (
        "wrote {path} (id \"{id}\"); check it with `nntutor check {path}`",
        "已写入 {path}（id \"{id}\"）；用 `nntutor check {path}` 检查它",
    ),
    (
        "the tutor needs a terminal, but stdin or stdout is not one; for plain-text output use `nntutor run LESSON` (see `nntutor list`)",
        "nntutor 的界面需要终端，但标准输入或输出不是终端；要纯文本输出，请用 `nntutor run LESSON`（课程见 `nntutor list`）",
    ),
    (
        "{error}; for plain-text output use `nntutor run LESSON`",
        "{error}；要纯文本输出，请用 `nntutor run LESSON`",
    ),
    (
        "this build has no terminal UI (built without the `tui` feature); use `nntutor run LESSON` for plain-text output",
        "这个版本没有终端界面（编译时没有启用 `tui` 功能）；要纯文本输出，请用 `nntutor run LESSON`",
    ),
    // The TUI's progress file.
    (
        "{path} (could not move it: {error}; left in place)",
        "{path}（无法移走：{error}；留在原处）",
    ),
    ("{path} (left in place)", "{path}（留在原处）"),
    // Charts: titles, axes, legends (the demos' panels).
    (
        " (diverged at iteration {at}; last finite values shown)",
        "（第 {at} 次迭代时发散；显示最后的有限值）",
    ),
    (
        " (capped at max_degree {d})",
        "（受 max_degree 限制为 {d}）",
    ),
    (" (pinned)", "（已固定）"),
    ("iteration", "迭代次数"),
    ("train", "训练集"),
    ("test", "测试集"),
    ("loss", "损失"),
    ("loss (mean squared error)", "损失（均方误差）"),
    ("loss (cross-entropy, nats)", "损失（交叉熵，nat）"),
    (
        "loss (squared error of the sigmoid output)",
        "损失（sigmoid 输出的平方误差）",
    ),
    (
        "train {train} / test {test}, gap {gap}{note}",
        "训练 {train} / 测试 {test}，差距 {gap}{note}",
    ),
    (
        "model fit on {n} training points{note}",
        "模型在 {n} 个训练点上的拟合{note}",
    ),
    ("input x", "输入 x"),
    ("target y", "目标 y"),
    ("train data", "训练数据"),
    ("test data", "测试数据"),
    ("truth sin(πx)", "真实函数 sin(πx)"),
    ("model", "模型"),
    ("learned weight", "学到的权重"),
    ("learned (mean ∂ŷ/∂x)", "学到的（平均 ∂ŷ/∂x）"),
    (
        "true vs learned weights, {k} of {n} truly non-zero{note}",
        "真实权重与学到的权重，{n} 个中有 {k} 个真正非零{note}",
    ),
    ("input feature", "输入特征"),
    ("weight", "权重"),
    ("true weight", "真实权重"),
    (
        "P(class 1) over the plane, training points on top{note}",
        "平面上的 P(类别 1)，叠加训练点{note}",
    ),
    ("input x₁", "输入 x₁"),
    ("input x₂", "输入 x₂"),
    ("class {k}", "类别 {k}"),
    ("unit {n}", "单元 {n}"),
    (
        "no hidden layer: `layers` has only inputs and outputs",
        "没有隐藏层：`layers` 只有输入和输出",
    ),
    (
        "{distinct} distinct of {width} first-layer units (first {drawn} drawn){note}",
        "第一层 {width} 个单元中有 {distinct} 个互不相同（只画前 {drawn} 个）{note}",
    ),
    (
        "{distinct} distinct of {width} first-layer units{note}",
        "第一层 {width} 个单元中有 {distinct} 个互不相同{note}",
    ),
    ("first incoming weight of the unit", "单元的第一个输入权重"),
    (
        "{n} weights: mean {mean}, std {std}{note}",
        "{n} 个权重：均值 {mean}，标准差 {std}{note}",
    ),
    ("weight value", "权重值"),
    ("number of weights", "权重个数"),
    ("mean ± 1σ (σ = {std})", "均值 ± 1σ（σ = {std}）"),
    (
        "{now} of {total} weights exactly 0{note}",
        "{total} 个权重中有 {now} 个恰好为 0{note}",
    ),
    ("weights exactly 0 (count)", "恰好为 0 的权重（个数）"),
    ("exact zeros", "恰好为 0"),
    ("P(class 1)", "P(类别 1)"),
    ("weight norm ‖w‖₂", "权重范数 ‖w‖₂"),
    (
        "{n} weights drawn from N({mean}, {std}²), {outside} beyond ±4σ",
        "从 N({mean}, {std}²) 抽取 {n} 个权重，±4σ 外 {outside} 个",
    ),
    ("count", "个数"),
    ("within {k}σ", "{k}σ 以内"),
    ("exact {percent}%", "理论值 {percent}%"),
    (
        "share of weights within μ ± kσ",
        "落在 μ ± kσ 以内的权重比例",
    ),
    ("samples drawn", "已抽取的样本数"),
    ("% of samples", "样本占比 %"),
    ("{init}, gain {gain}", "{init}，增益 {gain}"),
    ("{shape}, {scheme}", "{shape}，{scheme}"),
    ("layer (1 = next to the input)", "层（1 = 紧挨输入的一层）"),
    (
        "activation std per layer, {net} (deepest so far: {percent}% saturated)",
        "每层激活值的标准差，{net}（最深一层：{percent}% 饱和）",
    ),
    ("activation std", "激活值标准差"),
    (
        "std of h_l over samples × units",
        "h_l 在样本 × 单元上的标准差",
    ),
    (
        "gradients per layer (backward signal at the top = 1 by construction), {net}",
        "每层的梯度（最顶层的反向信号按构造为 1），{net}",
    ),
    ("{what} (log scale)", "{what}（对数坐标）"),
    (
        "this run would make {draws} random draws, more than {max}; lower `steps` or `batch`",
        "这次运行要抽取 {draws} 个随机数，超过上限 {max}；请减小 `steps` 或 `batch`",
    ),
    (
        "this run would make {draws} mask entries, more than {max}; lower `steps` or `batch`",
        "这次运行要生成 {draws} 个掩码元素，超过上限 {max}；请减小 `steps` 或 `batch`",
    ),
    ("gradient norm per sample", "每个样本的梯度范数"),
    ("backward signal ‖∂L/∂h_l‖", "反向信号 ‖∂L/∂h_l‖"),
    ("weight gradient ‖∂L/∂W_l‖", "权重梯度 ‖∂L/∂W_l‖"),
    ("layer {l}", "第 {l} 层"),
    ("activation distribution, {net}", "激活值分布，{net}"),
    ("activation value h", "激活值 h"),
    (
        "% of units per bin (41 bins)",
        "每个区间的单元占比 %（41 个区间）",
    ),
    (
        "{n} training-time sums of {inputs} unit inputs, keep_prob {keep}, {mode} dropout",
        "{inputs} 个单位输入在训练时的 {n} 个加和，keep_prob {keep}，{mode} Dropout",
    ),
    (
        "sum of the kept inputs (× 1/keep if inverted)",
        "保留下来的输入之和（inverted 时乘以 1/keep）",
    ),
    ("masks", "掩码数"),
    (
        "expected ±2σ: {mean} ± {spread}",
        "期望 ±2σ：{mean} ± {spread}",
    ),
    ("test-time sum {test}", "测试时的加和 {test}"),
    ("training mean {mean}", "训练时的均值 {mean}"),
    (
        "running mean of the training sums vs the test-time sum",
        "训练时加和的累计均值与测试时的加和",
    ),
    ("masks drawn", "已抽取的掩码数"),
    ("sum", "加和"),
    ("training mean so far", "目前的训练均值"),
    (
        "loss contour {level} (touches the diamond)",
        "损失等高线 {level}（与菱形相切）",
    ),
    (
        "loss contour {level} (touches the circle)",
        "损失等高线 {level}（与圆相切）",
    ),
    (
        "L1 diamond |w1|+|w2| = {size}",
        "L1 菱形 |w1|+|w2| = {size}",
    ),
    ("L2 circle ‖w‖ = {size}", "L2 圆 ‖w‖ = {size}"),
    ("L1 path (λ 0 → now)", "L1 路径（λ 从 0 到当前）"),
    ("L2 path (λ 0 → now)", "L2 路径（λ 从 0 到当前）"),
    ("L1 optimum {point}", "L1 最优点 {point}"),
    ("L2 optimum {point}", "L2 最优点 {point}"),
    (
        "loss ½(w−w*)ᵀA(w−w*) (heat) with penalties at λ = {lambda}{pinned}",
        "损失 ½(w−w*)ᵀA(w−w*)（热图）与 λ = {lambda} 时的正则项{pinned}",
    ),
    (
        "penalized optimum against λ: L1 hits 0 exactly, L2 only shrinks",
        "加正则项后的最优点随 λ 的变化：L1 恰好到 0，L2 只是缩小",
    ),
    ("λ (penalty strength)", "λ（正则项强度）"),
    ("fits on the last {n} sets", "最近 {n} 组的拟合"),
    ("mean of {n} fits", "{n} 次拟合的均值"),
    ("truth sin(2πx)", "真实函数 sin(2πx)"),
    (
        "training set {n} ({points} points)",
        "第 {n} 组训练集（{points} 个点）",
    ),
    (
        "degree-{d} fits{capped}: spread = variance, (mean − truth)² = bias² (clipped to [{lo}, {hi}])",
        "{d} 次多项式拟合{capped}：分散程度 = 方差，(均值 − 真实函数)² = 偏差²（截取 [{lo}, {hi}]）",
    ),
    (
        "expected test error split, {sets} training sets of {points}",
        "期望测试误差的分解，{sets} 组各 {points} 个点的训练集",
    ),
    ("polynomial degree", "多项式次数"),
    ("squared error (y units²)", "平方误差（y 单位²）"),
    ("bias²", "偏差²"),
    ("variance", "方差"),
    ("noise σ² = {noise}", "噪声 σ² = {noise}"),
    ("noise σ²", "噪声 σ²"),
    ("bias² + variance + noise", "偏差² + 方差 + 噪声"),
    (
        "bias² + variance + noise vs measured test error (y axis cut at 5× the best)",
        "偏差² + 方差 + 噪声与实测测试误差（y 轴截到最小值的 5 倍）",
    ),
    ("measured test MSE", "实测测试 MSE"),
    // Headless text output (`nntutor run`).
    ("iteration {n} of {total}", "第 {n} 次迭代，共 {total} 次"),
    (
        "diverged at iteration {at}: a loss or weight became NaN or infinite, so the run stopped; the charts keep the last finite values",
        "在第 {at} 次迭代发散：某个损失或权重变成了 NaN 或无穷大，训练已停止；图表保留最后的有限值",
    ),
    (" (done)", "（已完成）"),
    ("metrics:", "指标："),
    (
        "{name}: {n} points, last ({x}, {y})",
        "{name}：{n} 个点，最后一个 ({x}, {y})",
    ),
    ("{name}: no points", "{name}：没有点"),
    (
        "{bins} bins, {n} samples in range",
        "{bins} 个区间，范围内有 {n} 个样本",
    ),
    ("band {label}: [{lo}, {hi}]", "区间带 {label}：[{lo}, {hi}]"),
    ("marker {label}: {x}", "标记 {label}：{x}"),
    ("(no data yet)", "（还没有数据）"),
    ("y: {y}   x: {x}", "y：{y}   x：{x}"),
    ("(empty grid)", "（空网格）"),
    (
        "shade, {what}: low ' ' … '@' high ({lo} … {hi})",
        "深浅表示{what}：低 ' ' … '@' 高（{lo} … {hi}）",
    ),
    ("overlay {name}: {n} points", "叠加 {name}：{n} 个点"),
    // `run --csv` and `grade`.
    (
        "--csv {id}: this step shows no such panel; its panels: {shown}",
        "--csv {id}：这一步没有这个图；它的图有：{shown}",
    ),
    (
        "lesson \"{id}\" has no demo at step {n}",
        "课程 \"{id}\" 的第 {n} 步没有演示",
    ),
    (
        "no JSON object in the file: hand in `nntutor run … --metrics-only` output",
        "文件里没有 JSON 对象：请提交 `nntutor run … --metrics-only` 的输出",
    ),
    ("no lesson \"{name}\"", "没有课程 \"{name}\""),
    (
        "not reproduced: {bad} of {count} metrics differ from a run with the same lesson, step and parameters",
        "无法复现：用相同的课程、步骤和参数重新运行，{count} 个指标中有 {bad} 个不同",
    ),
    (
        "parameter `{key}` has a value no lesson can hold",
        "参数 `{key}` 的值不是课程能用的值",
    ),
    (
        "reproduced: lesson \"{id}\" step {n}, {count} metrics match",
        "已复现：课程 \"{id}\" 第 {n} 步，{count} 个指标全部一致",
    ),
    (
        "the JSON has no `lesson` and `step`: not a run's output",
        "这个 JSON 没有 `lesson` 和 `step`：不是一次运行的输出",
    ),
    (
        "the run did not finish (status {status}): grade a finished run",
        "这次运行没有结束（状态 {status}）：请评判已完成的运行",
    ),
    (
        "the run does not finish with these parameters",
        "用这些参数运行无法结束",
    ),
    (
        "{file}: larger than 16 MB; not a run's output",
        "{file}：超过 16 MB，不是一次运行的输出",
    ),
    // `progress`.
    ("no progress saved yet", "还没有保存的进度"),
    (
        "{path}: not a progress file (the tutor sets it aside when it next starts)",
        "{path}：不是进度文件（下次启动时会被另存）",
    ),
    (
        "{id}  step {step}/{n}, {seen} of {n} steps seen, {right} of {asked} predictions right",
        "{id}  第 {step}/{n} 步，看过 {seen}/{n} 步，预测正确 {right}/{asked}",
    ),
    // ```expect blocks and `check --run`.
    (
        "step {n}'s expect block differs from the original's; claims are copied, not translated",
        "第 {n} 步的 expect 块与原文不同；断言要原样照抄，不翻译",
    ),
    (
        "a step may have only one expect block",
        "一步最多只能有一个 expect 块",
    ),
    (
        "an expect block needs the step's demo block",
        "expect 块需要这一步有 demo 块",
    ),
    (
        "its claims are about the demo's metrics: add a ```demo block",
        "它的断言针对演示的指标：请加一个 ```demo 块",
    ),
    ("expect block has no claims", "expect 块里没有断言"),
    (
        "one claim per line, e.g. `zero_weights >= 30`",
        "每行一个断言，例如 `zero_weights >= 30`",
    ),
    (
        "`seeds` must be a whole number from 1 to {max}",
        "`seeds` 必须是 1 到 {max} 之间的整数",
    ),
    (
        "`hold` must be a share in (0, 1], e.g. 0.9",
        "`hold` 必须是 (0, 1] 之间的比例，例如 0.9",
    ),
    (
        "kind \"{kind}\" reports no metric `{name}`",
        "类型 \"{kind}\" 没有指标 `{name}`",
    ),
    ("its metrics", "它的指标"),
    (
        "write `metric OP number`, e.g. `test_loss < 0.02`, `abs(diff) < 1e-12 at 100`, `mean_sum ≈ 100 ± 2`",
        "写成 `指标 比较符 数值`，例如 `test_loss < 0.02`、`abs(diff) < 1e-12 at 100`、`mean_sum ≈ 100 ± 2`",
    ),
    (
        "no comparison (==, !=, <, <=, >, >=, ≈)",
        "没有比较符（==、!=、<、<=、>、>=、≈）",
    ),
    (
        "`at` takes an iteration number, found `{n}`",
        "`at` 后面要写迭代次数，实际是 `{n}`",
    ),
    ("`{text}` is not a number", "`{text}` 不是数值"),
    (
        "≈ needs a tolerance: `≈ 100 ± 2`",
        "≈ 需要容差：`≈ 100 ± 2`",
    ),
    (
        "± goes with ≈ only: `≈ 100 ± 2`",
        "± 只能和 ≈ 一起用：`≈ 100 ± 2`",
    ),
    (
        "unknown function `{f}`; use abs, max, min, mean or len",
        "未知函数 `{f}`；可用 abs、max、min、mean 或 len",
    ),
    ("`[{index}]` is not an entry number", "`[{index}]` 不是序号"),
    ("`{text}` is not a metric name", "`{text}` 不是指标名"),
    (
        "the run reports no metric `{name}`",
        "这次运行没有指标 `{name}`",
    ),
    (
        "`{name}` is a list: take an entry (`{name}[0]`) or max, min, mean, len",
        "`{name}` 是列表：请取一项（`{name}[0]`）或用 max、min、mean、len",
    ),
    (
        "`{name}` is text, not a number",
        "`{name}` 是文字，不是数值",
    ),
    ("`{name}` is not a list", "`{name}` 不是列表"),
    (
        "`{name}` has {n} entries; there is no [{index}]",
        "`{name}` 有 {n} 项；没有第 [{index}] 项",
    ),
    ("`{name}` is empty", "`{name}` 是空的"),
    ("not run", "未运行"),
    (
        "the run ended at iteration {end} before {n}",
        "运行在第 {end} 次迭代就结束了，没到 {n}",
    ),
    ("the demo cannot run: {problem}", "演示无法运行：{problem}"),
    ("measured {value}", "实测 {value}"),
    (
        "claim `{claim}` holds for {held} of {runs} seeds, needs {need}; {measured} with seed {seed}",
        "断言 `{claim}` 在 {runs} 个种子中成立 {held} 个，需要 {need} 个；种子 {seed} 时{measured}",
    ),
    (
        "claim `{claim}` does not hold: {measured}",
        "断言 `{claim}` 不成立：{measured}",
    ),
    (
        "the predicted answer {answer} does not hold: the step's run measured {metric} = {value}, outside {low} to {high}",
        "预测答案 {answer} 不成立：这一步的运行测得 {metric} = {value}，不在 {low} 到 {high} 之间",
    ),
    (
        "`{name}` is a list of numbers; a numeric answer needs a metric that is one number",
        "`{name}` 是一列数；数值答案需要一个只有单个数值的指标",
    ),
    (
        "the predicted answer {answer} cannot be checked: {problem}",
        "无法验证预测答案 {answer}：{problem}",
    ),
    (
        "claims: {held} held, {failed} failed",
        "断言：{held} 个成立，{failed} 个不成立",
    ),
    // The general `train` experiment.
    (
        "1 output (the logit of class 1, read through a sigmoid)",
        "1 个输出（类别 1 的 logit，经 sigmoid 读出）",
    ),
    (
        "`inputs` are features of a point in the plane; data set \"{dataset}\" has none (plane sets: {sets})",
        "`inputs` 是平面上一个点的特征；数据集 \"{dataset}\" 没有平面点（平面数据集：{sets}）",
    ),
    (
        "`inputs` is empty: the net needs at least one of {names}",
        "`inputs` 为空：网络至少需要以下之一：{names}",
    ),
    (
        "`loss` = \"{loss}\" answers one yes/no question, but there are {classes} classes; use \"cross_entropy\"",
        "`loss` = \"{loss}\" 只回答一个是/否问题，但这里有 {classes} 个类别；请用 \"cross_entropy\"",
    ),
    (
        "`loss` = \"{loss}\" needs classes, but data set \"{dataset}\" is regression; use \"mse\"",
        "`loss` = \"{loss}\" 需要类别，但数据集 \"{dataset}\" 是回归；请用 \"mse\"",
    ),
    (
        "`norm_layers` names hidden layer {bad}, but `layers` has {hidden} hidden layers (numbered from 1)",
        "`norm_layers` 指定了第 {bad} 个隐藏层，但 `layers` 只有 {hidden} 个隐藏层（从 1 开始编号）",
    ),
    (
        "`patience` stops on the validation loss; set `validation` (e.g. 0.2) to hold out a validation set",
        "`patience` 依据验证损失停止训练；请设置 `validation`（例如 0.2）留出验证集",
    ),
    (
        "`validation` = {fraction} of {samples} samples leaves {val} for validation and {train} for training; both need at least 1",
        "`validation` = {fraction}，{samples} 个样本中留给验证 {val} 个、训练 {train} 个；两者都至少需要 1 个",
    ),
    (
        "batch norm normalizes over a batch and needs at least 2 samples in one; this run has batches of {batch}",
        "批归一化在一个批次上做归一化，每批至少需要 2 个样本；这次训练的批大小是 {batch}",
    ),
    ("best validation", "最佳验证"),
    (
        "data set \"{dataset}\" has 2 classes; `classes` = {classes} needs one of: {sets}",
        "数据集 \"{dataset}\" 只有 2 个类别；`classes` = {classes} 需要以下数据集之一：{sets}",
    ),
    (
        "data set \"{dataset}\" is regression: it has no labels to flip (use `noise`)",
        "数据集 \"{dataset}\" 是回归：没有可以翻转的标签（请用 `noise`）",
    ),
    (
        "nesterov needs `momentum` > 0 (PyTorch refuses it too); use \"sgd\" for no momentum",
        "nesterov 需要 `momentum` > 0（PyTorch 也会拒绝）；不要动量请用 \"sgd\"",
    ),
    ("predicted class", "预测类别"),
    (
        "predicted class over the plane (0 to {last}), training points on top{note}",
        "平面上的预测类别（0 到 {last}），上面叠加训练点{note}",
    ),
    ("predicted y", "预测的 y"),
    (
        "predicted y over the plane, training points on top{note}",
        "平面上预测的 y，上面叠加训练点{note}",
    ),
    ("training points", "训练点"),
    ("validation", "验证"),
    (
        "{n} inputs (the features in `inputs`)",
        "{n} 个输入（`inputs` 中的特征）",
    ),
    ("{n} outputs (one per class)", "{n} 个输出（每个类别一个）"),
    (
        "{steps} steps of this network on batches of {batch} samples are {tflop} TFLOP in all (limit {max} TFLOP, about two minutes of one core); use fewer steps, a smaller batch or narrower layers",
        "这个网络以每批 {batch} 个样本训练 {steps} 步，总计 {tflop} TFLOP（上限 {max} TFLOP，约为单核两分钟）；请减少步数、减小批大小或收窄各层",
    ),
    ("layer {n}", "第 {n} 层"),
    (
        "std of each hidden layer's outputs, first {first}, last {last}{note}",
        "各隐藏层输出的标准差，第一层 {first}，最后一层 {last}{note}",
    ),
    (
        "‖∂Loss/∂W‖ of each layer, first {first}, last {last}{note}",
        "各层的 ‖∂Loss/∂W‖，第一层 {first}，最后一层 {last}{note}",
    ),
    ("gradient norm", "梯度范数"),
    (
        "weight histogram over training, weights within ±{m}{note}",
        "训练过程中的权重直方图，权重在 ±{m} 之内{note}",
    ),
    ("fraction of weights", "权重所占比例"),
    (
        "unit maps need a 2-D data set and a hidden layer",
        "单元图需要二维数据集和至少一个隐藏层",
    ),
    (
        "what units 1 to {drawn} of {units} in the first hidden layer output over the plane, each on its own scale{note}",
        "第一隐藏层 {units} 个单元中第 1 到 {drawn} 个在平面上的输出，各自按自己的范围着色{note}",
    ),
    (
        "what the {units} units of the first hidden layer output over the plane, each on its own scale{note}",
        "第一隐藏层 {units} 个单元在平面上的输出，各自按自己的范围着色{note}",
    ),
    (
        "one map per unit, x₁ across, four per row",
        "每个单元一张图，横向为 x₁，每行四张",
    ),
    ("x₂ up", "纵向为 x₂"),
    ("unit output, low to high", "单元输出，由低到高"),
    // Steps that run several runs (sweeps and `[[run]]` tables).
    (
        "`sweep` takes one key and a list of its values",
        "`sweep` 只接受一个键和它的取值列表",
    ),
    (
        "write one key and its values, e.g. `sweep.lr = [0.01, 0.1, 1.0]`",
        "写一个键和它的各个取值，例如 `sweep.lr = [0.01, 0.1, 1.0]`",
    ),
    (
        "`sweep.{key}` must be a list of values, one per run",
        "`sweep.{key}` 必须是取值列表，每次运行一个",
    ),
    (
        "`sweep.{key}` lists {value} twice",
        "`sweep.{key}` 把 {value} 列了两次",
    ),
    (
        "a sweep varies one key; for runs that differ in several, write `[[run]]` tables",
        "扫描只改变一个键；各次运行有多个键不同时，请写 `[[run]]` 表",
    ),
    (
        "one `[[run]]` table per run, holding the keys it sets",
        "每次运行一个 `[[run]]` 表，写出它设置的键",
    ),
    (
        "a demo block takes a `sweep` or `[[run]]` tables, not both",
        "演示代码块里只能有 `sweep` 或 `[[run]]` 表之一，不能两者都有",
    ),
    (
        "a sweep varies one key; `[[run]]` tables set any keys, run by run",
        "扫描只改变一个键；`[[run]]` 表可以逐次运行设置任意键",
    ),
    (
        "a step runs at most {max} runs side by side; `sweep.{key}` lists {count} values",
        "一个步骤最多并排运行 {max} 次；`sweep.{key}` 列了 {count} 个取值",
    ),
    (
        "a step runs at most {max} runs side by side; this is run {n}",
        "一个步骤最多并排运行 {max} 次；这是第 {n} 次",
    ),
    (
        "a step runs at most {max} runs side by side; this one has {count}",
        "一个步骤最多并排运行 {max} 次；这里有 {count} 次",
    ),
    ("split the sweep over two steps", "把扫描拆到两个步骤里"),
    ("split the runs over two steps", "把这些运行拆到两个步骤里"),
    (
        "write each run as a `[[run]]` table of the keys it sets",
        "把每次运行写成一个 `[[run]]` 表，列出它设置的键",
    ),
    (
        "e.g. `[[run]]` then `lr = 0.1` and `label = \"small steps\"` on the lines below",
        "例如先写 `[[run]]`，再在下面几行写 `lr = 0.1` 和 `label = \"小步长\"`",
    ),
    ("a non-empty string", "非空字符串"),
    (
        "two runs are labelled \"{label}\"",
        "有两次运行的标签都是 \"{label}\"",
    ),
    (
        "give each run its own `label`",
        "给每次运行一个不同的 `label`",
    ),
    ("keys a run may set", "一次运行可以设置的键"),
    (
        "`{name}` is shared by every run of a step; set it outside the runs",
        "`{name}` 由步骤的所有运行共用；请在各次运行之外设置",
    ),
    (
        "`{key}` differs between this step's runs ({values}); it cannot be set for all of them",
        "`{key}` 在这一步的各次运行中不同（{values}）；不能一次为所有运行设置",
    ),
    (
        "knob \"{name}\" differs between this step's runs and cannot be turned; it is ignored",
        "可调参数 \"{name}\" 在这一步的各次运行中不同，不能调节；已忽略",
    ),
    ("run {label}: {problem}", "运行 {label}：{problem}"),
    ("{run} (diverged at {at})", "{run}（在第 {at} 次迭代发散）"),
    (
        "`{name}` reads run {n}, but this step has {runs} run(s)",
        "`{name}` 读取第 {n} 次运行，但这一步只有 {runs} 次运行",
    ),
    (
        "the first run's metrics have no suffix; run k's end in `@k`",
        "第一次运行的指标没有后缀；第 k 次运行的指标以 `@k` 结尾",
    ),
    (
        "step {n}'s runs set [{runs}]; the original's set [{original}]",
        "第 {n} 步的各次运行设置 [{runs}]；原文的设置 [{original}]",
    ),
    (
        "`eval_mode` = \"train\" changes only how batch norm normalizes; set `norm` = \"batch_norm\"",
        "`eval_mode` = \"train\" 只改变批归一化的归一方式；请设 `norm` = \"batch_norm\"",
    ),
    (
        "`eval_batch` only matters with `eval_mode` = \"train\": in evaluation mode a row's output does not depend on the rows evaluated with it",
        "`eval_batch` 只在 `eval_mode` = \"train\" 时有用：评估模式下一行的输出与同批评估的其他行无关",
    ),
    (
        "batch norm in training mode needs at least 2 rows per batch to have a variance (PyTorch raises an error for 1); use 2 or more, or 0 for the whole set",
        "训练模式下的批归一化每批至少需要 2 行才有方差（PyTorch 对 1 行会报错）；请用 2 或更多，或用 0 表示整个数据集",
    ),
    (
        "`functions` is empty: name at least one of {names}",
        "`functions` 为空：请至少写一个：{names}",
    ),
    (
        "slope f'(z): how much of the gradient passes back",
        "斜率 f'(z)：梯度能传回多少",
    ),
    ("activation f(z)", "激活函数 f(z)"),
    ("z, the weighted sum", "z，加权和"),
    (
        "A free playground, as in TensorFlow Playground: a small network learns to tell two classes of points in the plane apart, and you change anything while it trains.",
        "自由练习场，就像 TensorFlow Playground：一个小网络学习区分平面上两类点，训练时你可以随意修改任何设置。",
    ),
    (
        "- **Tab** picks a knob, **+** and **-** (or **Left** and **Right**) change it, **Enter** types a value: `layers` as `2, 8, 8, 2`, `inputs` as `x1, x2, x1^2`.\n- Knobs marked *live* change the running network; the others restart the run. `layers` follows `dataset`, `inputs` and `classes`.\n- **s** saves this configuration as a lesson file in the current folder, for an instructor to paste its demo block into a lesson.\n- **Space** pauses, **r** restarts, **R** resets every knob, **Esc** goes to the lesson list.",
        "- **Tab** 选择参数，**+** 和 **-**（或 **Left** 和 **Right**）调整，**回车** 输入数值：`layers` 写作 `2, 8, 8, 2`，`inputs` 写作 `x1, x2, x1^2`。\n- 标为*实时生效*的参数直接改变正在训练的网络，其他参数会重新运行。`layers` 会随 `dataset`、`inputs` 和 `classes` 自动调整。\n- **s** 把当前配置保存为当前目录下的课程文件，教师可以把其中的 demo 块粘贴进课程。\n- **Space** 暂停，**r** 重新运行，**R** 恢复所有参数，**Esc** 回到课程列表。",
    ),
    (
        "The **fit** chart is the decision boundary with the training points, **neurons** shows what each unit of the first hidden layer computes over the plane, **loss** the training and test loss.",
        "**fit** 图是决策边界和训练点，**neurons** 图显示第一隐藏层每个单元在平面上的输出，**loss** 图是训练损失和测试损失。",
    ),
    ("Playground", "练习场"),
    (
        "Train a network on points in the plane",
        "在平面上的点上训练网络",
    ),
    ("Playground {n}", "练习场 {n}"),
    (
        "A configuration saved from `nntutor play`.",
        "从 `nntutor play` 保存的配置。",
    ),
    (
        "A network on \"{dataset}\"",
        "在 \"{dataset}\" 上训练的网络",
    ),
    (
        "Saved from `nntutor play`. Say here what the student should watch in the **fit**, **neurons** and **loss** charts, and which knob to turn.",
        "从 `nntutor play` 保存。请在这里说明学生应当在 **fit**、**neurons** 和 **loss** 图中观察什么，以及该调哪个参数。",
    ),
    (": diverged at iteration {at}", "：在第 {at} 次迭代发散"),
    (
        ": below {tolerance} at iteration {at}",
        "：在第 {at} 次迭代降到 {tolerance} 以下",
    ),
    ("minimum", "最小值"),
    (
        "path over the {surface} loss{state}",
        "{surface} 损失面上的路径{state}",
    ),
    ("log₁₀(loss + {floor})", "log₁₀(损失 + {floor})"),
    ("tolerance {tolerance}", "容差 {tolerance}"),
    ("loss{state}", "损失{state}"),
    (
        "graph `expression` has no loss to lower; descent needs graph `neuron` or `two-layer`",
        "图 `expression` 没有可以降低的损失；梯度下降需要图 `neuron` 或 `two-layer`",
    ),
    ("input", "输入"),
    ("parameter", "参数"),
    ("target", "目标"),
    ("{n} paths", "{n} 条路径"),
    ("node", "节点"),
    ("computes", "计算"),
    ("value", "值"),
    ("local", "局部导数"),
    ("fd", "差分"),
    (
        "{graph}: descent update {k}, L = {loss}",
        "{graph}：第 {k} 次梯度下降更新，L = {loss}",
    ),
    (
        "{graph}: check {k}/{n}, max |backprop − fd| = {err}",
        "{graph}：检验 {k}/{n}，最大 |反向传播 − 差分| = {err}",
    ),
    (
        "{graph}: backward {k}/{n}, by the chain rule",
        "{graph}：反向 {k}/{n}，用链式法则",
    ),
    (
        "{graph}: forward {k}/{n}, values in order",
        "{graph}：前向 {k}/{n}，按顺序计算各值",
    ),
    (
        "loss after {k} descent updates: {loss}",
        "{k} 次梯度下降更新后的损失：{loss}",
    ),
    ("update", "更新次数"),
    ("loss L", "损失 L"),
    (
        "the `diff` panel compares runs, and this step runs one",
        "`diff` 面板比较多次运行，而这一步只有一次运行",
    ),
    (
        "add a sweep or two or more [[run]] tables, or drop `diff` from `panels`",
        "加一个 sweep 或两个以上的 [[run]] 表，或者从 `panels` 中去掉 `diff`",
    ),
    ("{run} vs {first}", "{run} 对比 {first}"),
    (
        "largest |parameter difference| from run 1 so far: {diff}",
        "迄今与第 1 次运行的最大 |参数差|：{diff}",
    ),
    ("largest absolute parameter difference", "最大参数绝对差"),
    ("weight norm ‖w‖₂ {now}{note}", "权重范数 ‖w‖₂ {now}{note}"),
    ("‖w‖₂", "‖w‖₂"),
    (
        "kind \"weight-decay\" is now a \"train\" step with two runs",
        "kind \"weight-decay\" 现在是一个有两次运行的 \"train\" 步骤",
    ),
    (
        "write kind = \"train\" with the same keys and two [[run]] tables, l2_mode = \"coupled\" and l2_mode = \"decoupled\"; the panel `norms` is now `weight-norm`, and the metrics max_abs_diff, weight_norm_coupled and weight_norm_decoupled are now max_abs_diff@2, weight_norm and weight_norm@2",
        "改写为 kind = \"train\"，保留原有的键，再加两个 [[run]] 表：l2_mode = \"coupled\" 和 l2_mode = \"decoupled\"；面板 `norms` 改名为 `weight-norm`，指标 max_abs_diff、weight_norm_coupled 和 weight_norm_decoupled 分别改为 max_abs_diff@2、weight_norm 和 weight_norm@2",
    ),
    (
        "these {n} runs together need {mb} MB and {tflop} TFLOP (limits for a whole step {max_mb} MB, {max} TFLOP); use fewer runs, fewer steps or narrower layers",
        "这 {n} 次运行合计需要 {mb} MB 和 {tflop} TFLOP（整个步骤的上限为 {max_mb} MB、{max} TFLOP）；请减少运行次数、减少步数或使用更窄的层",
    ),
];
