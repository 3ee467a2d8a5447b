import { pick, pickIndex, type Random } from './rng';

/**
 * Place names for synthetic plans: two characters from the stock of Chinese
 * place names plus the suffix of the division kind (区, 县, 镇, 街道, …), unique
 * within the set they are drawn for, so search by name finds one site.
 */

const CHARS = [
  ...'东西南北中新安平和兴华宁德福寿康永长河山江湖海泉林石桥龙凤阳明清源丰泰昌盛隆云水田溪坪塘岭岗峰湾洲沙城乐庆广金玉白青黄红古潭溪梅竹松柏桂荷莲花横沥博罗惠汝龙门坑尾头口圩岛湘汉淮沂汾渭洛嘉定吉富瑞祥秀茂宝鸿鹤鹿马牛羊鱼',
];

/** Suffixes of the kinds a synthetic site can have. */
const SUFFIX = {
  市: '市',
  区: '区',
  县: '县',
  功能区: '高新技术产业开发区',
  街道: '街道',
  镇: '镇',
  乡: '乡',
  类似乡级单位: '林场',
} as const;

export type NamedKind = keyof typeof SUFFIX;

/**
 * Draws names from `rnd`; each one is new to this namer (two characters while
 * they last, then three).
 *
 * @example const name = placeNamer(seededRandom(1)); name('县') // '清潭县'
 */
export function placeNamer(rnd: Random): (kind: NamedKind) => string {
  const used = new Set<string>();
  return (kind) => {
    for (let attempt = 0; ; attempt++) {
      const length = attempt < 20 ? 2 : 3;
      let stem = '';
      for (let i = 0; i < length; i++) stem += pick(rnd, CHARS);
      // Past the stock of three-character names, a number makes the name new.
      const name = `${stem}${attempt < 40 ? '' : used.size}${SUFFIX[kind]}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}

/** A carrier of the three national ones. */
export const CARRIERS = ['中国电信', '中国联通', '中国移动'] as const;

export function carrierOf(rnd: Random): (typeof CARRIERS)[number] {
  return CARRIERS[pickIndex(rnd, CARRIERS.length)]!;
}
