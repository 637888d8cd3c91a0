"""Classroom words whose reading pypinyin's phrase dictionary lacks or gets wrong.

Each entry is a word a lesson says often and whose polyphone is fixed by the word itself (时差 is always
cha1, 接种 always zhong4), so a lookup is both cheaper and safer than asking the model. The reverse
maximum matcher of :mod:`text_frontend.g2p` treats them as dictionary words, and on an equal span they win
over pypinyin's entry. Readings follow 现代汉语词典, neutral tone written 5.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CLASSROOM_WORDS"]

_WORDS = """
接种 jie1 zhong4|种植 zhong4 zhi2|人民 ren2 min2
耕种 geng1 zhong4|栽种 zai1 zhong4|种庄稼 zhong4 zhuang1 jia5
时差 shi2 cha1|误差 wu4 cha1|温差 wen1 cha1|差别 cha1 bie2|差距 cha1 ju4|差异 cha1 yi4|偏差 pian1 cha1
公差 gong1 cha1|出差 chu1 chai1|差事 chai1 shi5|差值 cha1 zhi2
少先队 shao4 xian1 dui4|少先队员 shao4 xian1 dui4 yuan2|少年 shao4 nian2|青少年 qing1 shao4 nian2
少年宫 shao4 nian2 gong1
固相 gu4 xiang4|液相 ye4 xiang4|气相 qi4 xiang4|月相 yue4 xiang4|照相 zhao4 xiang4|照相机 zhao4 xiang4 ji1
用处 yong4 chu4|几近 ji1 jin4|士大夫 shi4 da4 fu1|掉色 diao4 shai3|色子 shai3 zi5
曾祖父 zeng1 zu3 fu4|曾祖母 zeng1 zu3 mu3|曾孙 zeng1 sun1|曾国藩 zeng1 guo2 fan1|理应 li3 ying1
背包 bei1 bao1|背书包 bei1 shu1 bao1
晒干 shai4 gan1|烘干 hong1 gan1|擦干 ca1 gan1|吹干 chui1 gan1|晾干 liang4 gan1|拧干 ning3 gan1|烤干 kao3 gan1
燃尽 ran2 jin4|用尽 yong4 jin4|耗尽 hao4 jin4
猜中 cai1 zhong4|射中 she4 zhong4|投中 tou2 zhong4|打中 da3 zhong4|考中 kao3 zhong4
选中 xuan3 zhong4|踢中 ti1 zhong4|正中靶心 zheng4 zhong4 ba3 xin1
乐理 yue4 li3|乐器 yue4 qi4|乐队 yue4 dui4|乐曲 yue4 qu3|器乐 qi4 yue4|声乐 sheng1 yue4
转速 zhuan4 su4|转动 zhuan4 dong4|自转 zi4 zhuan4|公转 gong1 zhuan4|旋转 xuan2 zhuan3|转圈 zhuan4 quan1
填空 tian2 kong4|空闲 kong4 xian2
和面 huo2 mian4|暖和 nuan3 huo5|短发 duan3 fa4|万重山 wan4 chong2 shan1
倒进 dao4 jin4|倒入 dao4 ru4|倒水 dao4 shui3|倒掉 dao4 diao4|倒立 dao4 li4|摔倒 shuai1 dao3|吹倒 chui1 dao3
碰倒 peng4 dao3|推倒 tui1 dao3|跌倒 die1 dao3|绊倒 ban4 dao3
系好 ji4 hao3|系上 ji4 shang4|系紧 ji4 jin3|系鞋带 ji4 xie2 dai4|挑水 tiao1 shui3|挑选 tiao1 xuan3
调颜料 tiao2 yan2 liao4|调颜色 tiao2 yan2 se4|调音量 tiao2 yin1 liang4
量体温 liang2 ti3 wen1|量身高 liang2 shen1 gao1|数星星 shu3 xing1 xing5
地球 di4 qiu2|草地 cao3 di4|地图 di4 tu2|地理 di4 li3|地势 di4 shi4|地形 di4 xing2|地面 di4 mian4
发明 fa1 ming2|刘少奇 liu2 shao4 qi2|出现 chu1 xian4|藏宝 cang2 bao3|薄此厚彼 bo2 ci3 hou4 bi3
称身 chen4 shen1|称脚 chen4 jiao3|应声 ying4 sheng1|流血 liu2 xue4|曾子 zeng1 zi3|曾巩 zeng1 gong3
看孩子 kan1 hai2 zi5|看小孩 kan1 xiao3 hai2|看门 kan1 men2|看家 kan1 jia1
都会 dou1 hui4|隐藏 yin3 cang2|躲藏 duo3 cang2|收藏 shou1 cang2|储藏 chu3 cang2
埋藏 mai2 cang2|珍藏 zhen1 cang2|四大发明 si4 da4 fa1 ming2|几何 ji3 he2|教务处 jiao4 wu4 chu4
子弹 zi3 dan4|分子 fen1 zi3|数落 shu3 luo5|作揖 zuo1 yi1
会稽 kuai4 ji1|题干 ti2 gan4|猪圈 zhu1 juan4|羊圈 yang2 juan4|牛圈 niu2 juan4
硕果累累 shuo4 guo3 lei2 lei2|果实累累 guo3 shi2 lei2 lei2|实事求是 shi2 shi4 qiu2 shi4
量角器 liang2 jiao3 qi4|落差 luo4 cha1|少不了 shao3 bu4 liao3|隆重 long2 zhong4
发梢 fa4 shao1|勤学好问 qin2 xue2 hao4 wen4|曾侯 zeng1 hou2|薄膜 bo2 mo2
作料 zuo2 liao5|糖分 tang2 fen4|卷子 juan4 zi5|倒序 dao4 xu4|倒叙 dao4 xu4|情不自禁 qing2 bu4 zi4 jin1
悄无声息 qiao3 wu2 sheng1 xi1|大喝一声 da4 he4 yi1 sheng1|梁山泊 liang2 shan1 po1|二十八宿 er4 shi2 ba1 xiu4
兵来将挡 bing1 lai2 jiang4 dang3|度君子之腹 duo2 jun1 zi3 zhi1 fu4
言中 yan2 zhong4|假发 jia3 fa4|宁死不降 ning4 si3 bu4 xiang2|一针见血 yi1 zhen1 jian4 xue4
强扭 qiang3 niu3|强扭的瓜不甜 qiang3 niu3 de5 gua1 bu4 tian2
反差 fan3 cha1|转笔 zhuan4 bi3|当耳旁风 dang4 er3 pang2 feng1|当耳边风 dang4 er3 bian1 feng1
着实 zhuo2 shi2|数以万计 shu4 yi3 wan4 ji4|数以千计 shu4 yi3 qian1 ji4|数以百计 shu4 yi3 bai3 ji4
空当 kong4 dang1
"""

CLASSROOM_WORDS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        word: tuple(readings.split())
        for line in _WORDS.strip().splitlines()
        for entry in line.split("|")
        for word, _, readings in [entry.strip().partition(" ")]
    }
)
assert all(len(w) == len(r) for w, r in CLASSROOM_WORDS.items()), (
    "a classroom word needs one reading per character"
)
