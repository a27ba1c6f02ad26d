namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// Mandarin tone changes as GPT-SoVITS applies them (its <c>tone_sandhi.py</c>), on one word's readings
/// (<c>ni3</c>, <c>hao3</c>): 不 and 一, neutral tones (particles, suffixes, reduplication, the words
/// always said with a neutral tone), and third-tone sandhi within words of two to four characters.
/// The word merges done before it (不, 一 and 儿 with their neighbours, runs of third tones) are here too.
/// </summary>
internal sealed class ToneSandhi(JiebaWords words)
{
    private const string Punctuation = "、：，；。？！“”‘’':,;.?!";

    /// <summary>Words said with a neutral last syllable (GPT-SoVITS's must_neural_tone_words).</summary>
    private static readonly HashSet<string> NeutralWords = new(StringComparer.Ordinal)
    {
        "麻烦", "麻利", "鸳鸯", "高粱", "骨头", "骆驼", "马虎", "首饰", "馒头", "馄饨", "风筝", "难为", "队伍", "阔气", "闺女", "门道",
        "锄头", "铺盖", "铃铛", "铁匠", "钥匙", "里脊", "里头", "部分", "那么", "道士", "造化", "迷糊", "连累", "这么", "这个", "运气",
        "过去", "软和", "转悠", "踏实", "跳蚤", "跟头", "趔趄", "财主", "豆腐", "讲究", "记性", "记号", "认识", "规矩", "见识", "裁缝",
        "补丁", "衣裳", "衣服", "衙门", "街坊", "行李", "行当", "蛤蟆", "蘑菇", "薄荷", "葫芦", "葡萄", "萝卜", "荸荠", "苗条", "苗头",
        "苍蝇", "芝麻", "舒服", "舒坦", "舌头", "自在", "膏药", "脾气", "脑袋", "脊梁", "能耐", "胳膊", "胭脂", "胡萝", "胡琴", "胡同",
        "聪明", "耽误", "耽搁", "耷拉", "耳朵", "老爷", "老实", "老婆", "老头", "老太", "翻腾", "罗嗦", "罐头", "编辑", "结实", "红火",
        "累赘", "糨糊", "糊涂", "精神", "粮食", "簸箕", "篱笆", "算计", "算盘", "答应", "笤帚", "笑语", "笑话", "窟窿", "窝囊", "窗户",
        "稳当", "稀罕", "称呼", "秧歌", "秀气", "秀才", "福气", "祖宗", "砚台", "码头", "石榴", "石头", "石匠", "知识", "眼睛", "眯缝",
        "眨巴", "眉毛", "相声", "盘算", "白净", "痢疾", "痛快", "疟疾", "疙瘩", "疏忽", "畜生", "生意", "甘蔗", "琵琶", "琢磨", "琉璃",
        "玻璃", "玫瑰", "玄乎", "狐狸", "状元", "特务", "牲口", "牙碜", "牌楼", "爽快", "爱人", "热闹", "烧饼", "烟筒", "烂糊", "点心",
        "炊帚", "灯笼", "火候", "漂亮", "滑溜", "溜达", "温和", "清楚", "消息", "浪头", "活泼", "比方", "正经", "欺负", "模糊", "槟榔",
        "棺材", "棒槌", "棉花", "核桃", "栅栏", "柴火", "架势", "枕头", "枇杷", "机灵", "本事", "木头", "木匠", "朋友", "月饼", "月亮",
        "暖和", "明白", "时候", "新鲜", "故事", "收拾", "收成", "提防", "挖苦", "挑剔", "指甲", "指头", "拾掇", "拳头", "拨弄", "招牌",
        "招呼", "抬举", "护士", "折腾", "扫帚", "打量", "打算", "打点", "打扮", "打听", "打发", "扎实", "扁担", "戒指", "懒得", "意识",
        "意思", "情形", "悟性", "怪物", "思量", "怎么", "念头", "念叨", "快活", "忙活", "志气", "心思", "得罪", "张罗", "弟兄", "开通",
        "应酬", "庄稼", "干事", "帮手", "帐篷", "希罕", "师父", "师傅", "巴结", "巴掌", "差事", "工夫", "岁数", "屁股", "尾巴", "少爷",
        "小气", "小伙", "将就", "对头", "对付", "寡妇", "家伙", "客气", "实在", "官司", "学问", "学生", "字号", "嫁妆", "媳妇", "媒人",
        "婆家", "娘家", "委屈", "姑娘", "姐夫", "妯娌", "妥当", "妖精", "奴才", "女婿", "头发", "太阳", "大爷", "大方", "大意", "大夫",
        "多少", "多么", "外甥", "壮实", "地道", "地方", "在乎", "困难", "嘴巴", "嘱咐", "嘟囔", "嘀咕", "喜欢", "喇嘛", "喇叭", "商量",
        "唾沫", "哑巴", "哈欠", "哆嗦", "咳嗽", "和尚", "告诉", "告示", "含糊", "吓唬", "后头", "名字", "名堂", "合同", "吆喝", "叫唤",
        "口袋", "厚道", "厉害", "千斤", "包袱", "包涵", "匀称", "勤快", "动静", "动弹", "功夫", "力气", "前头", "刺猬", "刺激", "别扭",
        "利落", "利索", "利害", "分析", "出息", "凑合", "凉快", "冷战", "冤枉", "冒失", "养活", "关系", "先生", "兄弟", "便宜", "使唤",
        "佩服", "作坊", "体面", "位置", "似的", "伙计", "休息", "什么", "人家", "亲戚", "亲家", "交情", "云彩", "事情", "买卖", "主意",
        "丫头", "丧气", "两口", "东西", "东家", "世故", "不由", "不在", "下水", "下巴", "上头", "上司", "丈夫", "丈人", "一辈", "那个",
        "菩萨", "父亲", "母亲", "咕噜", "邋遢", "费用", "冤家", "甜头", "介绍", "荒唐", "大人", "泥鳅", "幸福", "熟悉", "计划", "扑腾",
        "蜡烛", "姥爷", "照顾", "喉咙", "吉他", "弄堂", "蚂蚱", "凤凰", "拖沓", "寒碜", "糟蹋", "倒腾", "报复", "逻辑", "盘缠", "喽啰",
        "牢骚", "咖喱", "扫把", "惦记",
    };

    /// <summary>Words that keep their tones though they look like the neutral-tone patterns (must_not_neural_tone_words).</summary>
    private static readonly HashSet<string> NotNeutralWords = new(StringComparer.Ordinal)
    {
        "男子", "女子", "分子", "原子", "量子", "莲子", "石子", "瓜子", "电子", "人人", "虎虎", "幺幺", "干嘛", "学子", "哈哈", "数数",
        "袅袅", "局地", "以下", "娃哈哈", "花花草草", "留得", "耕地", "想想", "熙熙", "攘攘", "卵子", "死死", "冉冉", "恳恳", "佼佼",
        "吵吵", "打打", "考考", "整整", "莘莘", "落地", "算子", "家家户户", "青青",
    };

    /// <summary>Changes the tones of one word (<paramref name="finals"/> are its readings, tone last) in place.</summary>
    public void Apply(string word, string tag, string[] finals)
    {
        Bu(word, finals);
        Yi(word, finals);
        Neutral(word, tag, finals);
        Three(word, finals);
    }

    /// <summary>GPT-SoVITS's pre_merge_for_modify: 不 and 一 join the next word, reduplications and 儿 join, short runs of third tones join.</summary>
    public static List<(string Word, string Tag)> Merge(List<(string Word, string Tag)> words, string[] readings)
    {
        var merged = MergeBu(words);
        merged = MergeYi(merged);
        merged = MergeReduplication(merged);
        merged = MergeThreeTones(merged, readings);
        merged = MergeEr(merged);
        return merged;
    }

    private static void SetTone(string[] finals, int i, char tone) => finals[i] = finals[i][..^1] + tone;

    private static char Tone(string final) => final[^1];

    private static void Bu(string word, string[] finals)
    {
        if (word.Length == 3 && word[1] == '不')
        {
            SetTone(finals, 1, '5'); // 看不懂
            return;
        }

        for (var i = 0; i + 1 < word.Length; i++)
        {
            if (word[i] == '不' && Tone(finals[i + 1]) == '4')
            {
                SetTone(finals, i, '2'); // 不怕
            }
        }
    }

    private static void Yi(string word, string[] finals)
    {
        if (word.Contains('一') && word.All(c => c == '一' || char.IsDigit(c) || "零〇二三四五六七八九十百千万亿".Contains(c)))
        {
            return; // a number read digit by digit keeps yi1
        }

        if (word.Length == 3 && word[1] == '一' && word[0] == word[2])
        {
            SetTone(finals, 1, '5'); // 看一看
        }
        else if (word.StartsWith("第一", StringComparison.Ordinal))
        {
            SetTone(finals, 1, '1'); // ordinal
        }
        else
        {
            for (var i = 0; i + 1 < word.Length; i++)
            {
                if (word[i] != '一')
                {
                    continue;
                }

                if (Tone(finals[i + 1]) == '4')
                {
                    SetTone(finals, i, '2'); // 一段
                }
                else if (!Punctuation.Contains(word[i + 1]))
                {
                    SetTone(finals, i, '4'); // 一天
                }
            }
        }
    }

    private void Neutral(string word, string tag, string[] finals)
    {
        for (var j = 1; j < word.Length; j++)
        {
            if (word[j] == word[j - 1] && tag.Length > 0 && tag[0] is 'n' or 'v' or 'a' && !NotNeutralWords.Contains(word))
            {
                SetTone(finals, j, '5'); // 奶奶, 试试
            }
        }

        var ge = word.IndexOf('个', StringComparison.Ordinal);
        var last = word.Length - 1;
        if ("吧呢哈啊呐噻嘛吖嗨哦哒额滴哩哟喽啰耶喔诶".Contains(word[last]))
        {
            SetTone(finals, last, '5');
        }
        else if ("的地得".Contains(word[last]))
        {
            SetTone(finals, last, '5');
        }
        else if (word.Length == 1 && "了着过".Contains(word[0]) && tag is "ul" or "uz" or "ug")
        {
            SetTone(finals, last, '5');
        }
        else if (word.Length > 1 && "们子".Contains(word[last]) && tag is "r" or "n" && !NotNeutralWords.Contains(word))
        {
            SetTone(finals, last, '5');
        }
        else if (word.Length > 1 && "上下里".Contains(word[last]) && tag is "s" or "l" or "f")
        {
            SetTone(finals, last, '5');
        }
        else if (word.Length > 1 && "来去".Contains(word[last]) && "上下进出回过起开".Contains(word[last - 1]))
        {
            SetTone(finals, last, '5');
        }
        else if ((ge >= 1 && (char.IsDigit(word[ge - 1]) || "一二三四五六七八九十几有两半多各整每做是".Contains(word[ge - 1]))) || word == "个")
        {
            SetTone(finals, ge, '5');
        }
        else if (NeutralWords.Contains(word) || (word.Length >= 2 && NeutralWords.Contains(word[^2..])))
        {
            SetTone(finals, last, '5');
        }

        var (first, _) = Split(word);
        var parts = new[] { (Start: 0, Length: first.Length), (Start: first.Length, Length: word.Length - first.Length) };
        foreach (var (start, length) in parts)
        {
            if (length == 0)
            {
                continue;
            }

            var part = word.Substring(start, length);
            if (NeutralWords.Contains(part) || (part.Length >= 2 && NeutralWords.Contains(part[^2..])))
            {
                SetTone(finals, start + length - 1, '5');
            }
        }
    }

    private void Three(string word, string[] finals)
    {
        static bool AllThree(IEnumerable<string> f) => f.All(x => Tone(x) == '3');
        if (word.Length == 2 && AllThree(finals))
        {
            SetTone(finals, 0, '2'); // 你好
        }
        else if (word.Length == 3)
        {
            var (first, _) = Split(word);
            if (AllThree(finals))
            {
                if (first.Length == 2)
                {
                    SetTone(finals, 0, '2'); // 蒙古/包
                    SetTone(finals, 1, '2');
                }
                else
                {
                    SetTone(finals, 1, '2'); // 纸/老虎
                }
            }
            else if (first.Length is 1 or 2)
            {
                var split = first.Length;
                if (split == 2 && AllThree(finals[..2]))
                {
                    SetTone(finals, 0, '2'); // 所有/人
                }

                var second = finals[split..];
                if (second.Length == 2 && AllThree(second))
                {
                    SetTone(finals, split, '2');
                }
                else if (!AllThree(second) && Tone(second[0]) == '3' && Tone(finals[split - 1]) == '3')
                {
                    SetTone(finals, split - 1, '2'); // 好/喜欢
                }
            }
        }
        else if (word.Length == 4)
        {
            for (var start = 0; start < 4; start += 2)
            {
                if (Tone(finals[start]) == '3' && Tone(finals[start + 1]) == '3')
                {
                    SetTone(finals, start, '2'); // idioms as two pairs
                }
            }
        }
    }

    /// <summary>A word as two parts, the way GPT-SoVITS splits it: around its first two-character dictionary word.</summary>
    private (string First, string Second) Split(string word)
    {
        for (var i = 0; i + 2 <= word.Length && word.Length > 2; i++)
        {
            var sub = word.Substring(i, 2);
            if (words.Frequency(sub) > 0)
            {
                return i == 0 ? (sub, word[2..]) : (word[..^2], word[^2..]);
            }
        }

        return (word, string.Empty);
    }

    private static List<(string Word, string Tag)> MergeBu(List<(string Word, string Tag)> seg)
    {
        var result = new List<(string, string)>();
        var pending = string.Empty;
        foreach (var (word, tag) in seg)
        {
            if (word == "不")
            {
                pending += word;
                continue;
            }

            result.Add((pending + word, tag));
            pending = string.Empty;
        }

        if (pending.Length > 0)
        {
            result.Add((pending, "d"));
        }

        return result;
    }

    private static List<(string Word, string Tag)> MergeYi(List<(string Word, string Tag)> seg)
    {
        // 听 一 听 -> 听一听
        var joined = new List<(string Word, string Tag)>();
        for (var i = 0; i < seg.Count; i++)
        {
            if (i >= 1 && i + 1 < seg.Count && seg[i].Word == "一" && seg[i - 1].Word == seg[i + 1].Word && seg[i - 1].Tag.StartsWith('v'))
            {
                joined[^1] = (joined[^1].Word + "一" + seg[i + 1].Word, joined[^1].Tag);
                i++;
                continue;
            }

            joined.Add(seg[i]);
        }

        // 一 joins the word after it
        var result = new List<(string Word, string Tag)>();
        for (var i = 0; i < joined.Count; i++)
        {
            if (joined[i].Word == "一" && i + 1 < joined.Count)
            {
                result.Add(("一" + joined[i + 1].Word, joined[i + 1].Tag));
                i++;
                continue;
            }

            result.Add(joined[i]);
        }

        return result;
    }

    private static List<(string Word, string Tag)> MergeReduplication(List<(string Word, string Tag)> seg)
    {
        var result = new List<(string Word, string Tag)>();
        foreach (var item in seg)
        {
            if (result.Count > 0 && result[^1].Word == item.Word)
            {
                result[^1] = (result[^1].Word + item.Word, result[^1].Tag);
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><paramref name="readings"/> are the whole piece's, one a character; the words, in order, spell the piece.</summary>
    private static List<(string Word, string Tag)> MergeThreeTones(List<(string Word, string Tag)> seg, string[] readings)
    {
        var result = new List<(string Word, string Tag)>();
        string[]? previous = null;
        var at = 0;
        foreach (var item in seg)
        {
            var current = readings[at..(at + item.Word.Length)];
            at += item.Word.Length;
            if (result.Count > 0 && previous is not null && previous.Length > 0 && current.Length > 0 &&
                result[^1].Word.Length + item.Word.Length <= 3 && result[^1].Word != item.Word &&
                (previous.All(f => Tone(f) == '3') && current.All(f => Tone(f) == '3') || (Tone(previous[^1]) == '3' && Tone(current[0]) == '3')))
            {
                result[^1] = (result[^1].Word + item.Word, result[^1].Tag);
                previous = [.. previous, .. current];
                continue;
            }

            result.Add(item);
            previous = current;
        }

        return result;
    }

    private static List<(string Word, string Tag)> MergeEr(List<(string Word, string Tag)> seg)
    {
        var result = new List<(string Word, string Tag)>();
        foreach (var item in seg)
        {
            if (item.Word == "儿" && result.Count > 0 && result[^1].Word != "#")
            {
                result[^1] = (result[^1].Word + item.Word, result[^1].Tag);
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }
}
